import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves a core free by default; most test files wait on engines or on CLI
    // children, so one worker per core keeps both cores of a small machine busy.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
