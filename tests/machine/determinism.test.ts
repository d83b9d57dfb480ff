import { describe, expect, it } from 'vitest';
import { runImage } from '../support/index.js';

const DEFAULT_IMAGE = 'images/default.json';
const N = 1_048_576n;
const SUM_OF_SQUARES = (N * (N + 1n) * (2n * N + 1n)) / 6n;

function results(run: Awaited<ReturnType<typeof runImage>>) {
  return run.cores.map((c) => ({ node: c.node, core: c.core, result: c.result, status: c.status, exit: c.exitStatus }));
}

describe('determinism of the default image', () => {
  it('two runs give identical console, per-core counts and traces', async () => {
    const first = await runImage(DEFAULT_IMAGE, { quantum: 10_000, trace: true });
    const second = await runImage(DEFAULT_IMAGE, { quantum: 10_000, trace: true });
    expect(second.console).toEqual(first.console);
    expect(second.cores).toEqual(first.cores);
    expect(second.trace).toEqual(first.trace);
    expect(first.trace.length).toBeGreaterThan(100_000);
    const total = first.cores.reduce((sum, c) => sum + BigInt(c.result ?? '0'), 0n);
    expect(total).toBe(SUM_OF_SQUARES);
  });

  it('another quantum interleaves the console differently but keeps every result', async () => {
    const small = await runImage(DEFAULT_IMAGE, { quantum: 1_000 });
    const large = await runImage(DEFAULT_IMAGE, { quantum: 10_000_000 });
    expect(results(large)).toEqual(results(small));
    expect([...large.console].sort()).toEqual([...small.console].sort());
    expect(large.console).not.toEqual(small.console);
    // With a quantum larger than any program, node 0 core 0 runs to its end first.
    expect(large.console[0]).toMatch(/^n0\.c0 partial sum 0x/);
  });
});
