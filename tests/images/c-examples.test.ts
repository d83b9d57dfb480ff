// The shipped C example images boot as their descriptions say. Each is booted through
// the CLI's main() in this process (a child per image was most of the suite's time:
// Node and tsx start-up); the last test runs the real process once and finds the same
// output and exit code.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

interface Summary {
  exitCode: number;
  cores: { node: number; core: number; isa: string; status: string; exitStatus: number; result: string }[];
  dsm: { globalTime: number; nodes: { commits: number; restarts: number }[] };
  console: string[];
}

describe('images/c-dsm-counter.json', () => {
  it('8 cores on four ISAs commit 400 increments of one big-endian counter; the last commit wrote 400', async () => {
    const result = await runCliInProcess(['boot', 'images/c-dsm-counter.json', '--json']);
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
    const result = await runCliInProcess(['boot', 'images/c-ping-pong.json', '--json']);
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
    const result = await runCliInProcess(['boot', 'images/c-matmul.json', '--json']);
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
    const result = await runCliInProcess(['boot', 'images/c-flink.json', '--json', '--bind', `foo=${intensity}`]);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.exitCode).toBe(0);
    expect(summary.cores.map((core) => [core.isa, core.result])).toEqual(
      ['x86-32', 'sparc32', 'x86-64', 'sparc64'].map((isa) => [isa, '500500']));
  });
});

/** The balances images/c/bank.c leaves: every core's transfers applied once (their order does not matter). */
function bankBalances(): number[] {
  const accounts = Array<number>(16).fill(1000);
  for (let node = 0; node < 4; node++) {
    for (let core = 0; core < 2; core++) {
      let x = node * 16 + core + 1;
      for (let t = 0; t < 20; t++) {
        x = (x ^ (x << 13)) >>> 0;
        x = (x ^ (x >>> 17)) >>> 0;
        x = (x ^ (x << 5)) >>> 0;
        const from = x & 15;
        const to = (from + 1 + ((x >>> 8) & 7)) & 15;
        const amount = ((x >>> 16) & 63) + 1;
        accounts[from]! -= amount;
        accounts[to]! += amount;
      }
    }
  }
  return accounts;
}

describe('images/c-bank.json', () => {
  it('8 cores on four ISAs move money in 160 transactions; the audit finds every transfer and the opening total', async () => {
    const result = await runCliInProcess(['boot', 'images/c-bank.json', '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.exitCode).toBe(0);
    expect(new Set(summary.cores.map((core) => core.isa))).toEqual(new Set(['x86-32', 'sparc32', 'x86-64', 'sparc64']));
    for (const core of summary.cores) expect([core.status, core.exitStatus]).toEqual(['exited', 0]);
    expect(summary.console).toContain(`n0.c0 balances: ${bankBalances().join(' ')}`);
    expect(summary.console).toContain('n0.c0 total 16000 of 16000');
    expect(summary.cores[0]!.result).toBe('16000');
    // The opening, 160 transfers and 8 "done" increments; the audits write nothing, so
    // they commit without the token and do not advance the global time.
    const commits = summary.dsm.nodes.reduce((sum, node) => sum + node.commits, 0);
    expect(commits).toBe(summary.dsm.globalTime);
    expect(commits).toBe(1 + 160 + 8);
    const restarts = summary.console.flatMap((line) => /, (\d+) restarts$/.exec(line)?.[1] ?? []).map(Number);
    expect(restarts).toHaveLength(8);
    expect(restarts.reduce((a, b) => a + b)).toBeLessThanOrEqual(summary.dsm.nodes.reduce((sum, node) => sum + node.restarts, 0));
  });
});

describe('the real clustervm process', () => {
  it('prints what main() printed in this process, with its exit code', async () => {
    const args = ['boot', 'images/c-flink.json', '--bind', 'foo=weak'];
    const child = await runCli(args);
    expect(child).toEqual(await runCliInProcess(args));
    expect([child.code, child.stderr]).toEqual([0, '']);
  });
});
