// The shipped C example images boot as their descriptions say.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/index.js';

interface Summary {
  exitCode: number;
  cores: { node: number; core: number; isa: string; status: string; exitStatus: number; result: string }[];
  dsm: { globalTime: number; nodes: { commits: number; restarts: number }[] };
  console: string[];
}

describe('images/c-dsm-counter.json', () => {
  it('8 cores on four ISAs commit 400 increments of one big-endian counter; the last commit wrote 400', async () => {
    const result = await runCli(['boot', 'images/c-dsm-counter.json', '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.exitCode).toBe(0);
    expect(new Set(summary.cores.map((core) => core.isa))).toEqual(new Set(['x86-32', 'sparc32', 'x86-64', 'sparc64']));
    expect(summary.dsm.globalTime).toBe(400);
    expect(summary.dsm.nodes.map((node) => node.commits)).toEqual([100, 100, 100, 100]);
    expect(Math.max(...summary.cores.map((core) => Number(core.result)))).toBe(400);
    for (const core of summary.cores) {
      expect([core.status, core.exitStatus]).toEqual(['exited', 0]);
      // Each core prints the value it reports, and how often its transactions ran again.
      const line = summary.console.find((l) => l.startsWith(`n${core.node}.c${core.core} `));
      expect(line).toMatch(new RegExp(`^n${core.node}\\.c${core.core} last wrote ${core.result} after \\d+ restarts$`));
    }
    const restarts = summary.console.map((line) => Number(/after (\d+) restarts/.exec(line)![1]));
    expect(restarts.reduce((a, b) => a + b)).toBe(summary.dsm.nodes.reduce((sum, node) => sum + node.restarts, 0));
  });
});

describe('images/c-ping-pong.json', () => {
  it('an x86-64 and a sparc32 node pass a big-endian counter 100 times each way: both end at 200', async () => {
    const result = await runCli(['boot', 'images/c-ping-pong.json', '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary & {
      channels: { id: number; sent: number; received: number; meanLatencyNs: number }[];
    };
    expect(summary.exitCode).toBe(0);
    expect(summary.cores.map((core) => [core.isa, core.status, core.result])).toEqual([
      ['x86-64', 'exited', '200'], ['sparc32', 'exited', '200'],
    ]);
    expect(summary.channels.map((channel) => [channel.id, channel.sent, channel.received])).toEqual([[0, 100, 100], [1, 100, 100]]);
    // Every message crosses the 100 us link: the round trips take at least 200 latencies.
    const printedNs = summary.console.map((line) => Number(/at (\d+) ns$/.exec(line)![1]));
    for (const ns of printedNs) expect(ns).toBeGreaterThan(200 * 100_000);
    for (const channel of summary.channels) expect(channel.meanLatencyNs).toBeGreaterThan(100_000);
  });
});

/** The checksum images/c/matmul.c reports: sum of C[i][j] * (i * 32 + j + 1), C = A x B mod 2^32. */
function matmulChecksum(): bigint {
  const n = 32;
  const a = (i: number, k: number) => (i * 7 + k * 3) % 17;
  const b = (k: number, j: number) => (k * 5 + j) % 13;
  let checksum = 0n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += a(i, k) * b(k, j);
      checksum += BigInt(c >>> 0) * BigInt(i * n + j + 1);
    }
  }
  return BigInt.asUintN(64, checksum);
}

describe('images/c-matmul.json', () => {
  it('four x86-32 and four sparc32 nodes multiply 32x32 matrices over the DSM; node 0 reads back the right C', async () => {
    const result = await runCli(['boot', 'images/c-matmul.json', '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.exitCode).toBe(0);
    for (const core of summary.cores) expect([core.status, core.exitStatus]).toEqual(['exited', 0]);
    expect(summary.cores[0]!.result).toBe(matmulChecksum().toString());
    // Node 0's fill, then one commit of its rows per node.
    expect(summary.dsm.globalTime).toBe(9);
    expect(summary.console).toEqual([`n0.c0 C = A x B, 32x32 on 8 nodes: checksum ${matmulChecksum()}`]);
  });
});

describe('images/c-flink.json', () => {
  it.each(['mediated', 'immediate', 'weak', 'failsafe'])('foo bound %s: every ISA reports 1 + 2 + ... + 1000', async (intensity) => {
    const result = await runCli(['boot', 'images/c-flink.json', '--json', '--bind', `foo=${intensity}`]);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.exitCode).toBe(0);
    expect(summary.cores.map((core) => [core.isa, core.result])).toEqual(
      ['x86-32', 'sparc32', 'x86-64', 'sparc64'].map((isa) => [isa, '500500']));
  });
});
