// Issue 10, item 2, at the engine: the condition codes are valid from the moment a
// SPARC engine opens, whatever path leads into guest code (no firmware here at all).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/first-flag-use.ts', import.meta.url));

describe('SPARC condition codes', () => {
  it('a first instruction that reads them runs on a freshly opened engine (child process)', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, 'the engine did not crash the process').toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout.trim().split('\n')).toEqual(['sparc32', 'sparc64'].flatMap((isa) =>
      ['bne', 'addx', 'tne'].map((name) => `${isa} ${name}: code 0, counted 4`)));
  }, 70_000);
});
