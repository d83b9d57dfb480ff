// Link policies decide at fixed points of virtual time (every POLICY_EPOCH_NS, with the
// node's cores held there), so `boot images/flink.json` prints the same lines, counts and
// summary at every quantum: its policy re-links f to f.lwp once half of the cores exited,
// and how many calls reached f.lwp used to depend on the quantum (1728 at the default,
// 1994 at --quantum 5).

import { describe, expect, it } from 'vitest';
import { outputLines, runCli } from '../support/index.js';

const QUANTA = [5, 1000, 10_000, 100_000];

interface BootJson {
  cores: { node: number; core: number; status: string; instructions: number; virtualNs: number; result: string | null }[];
  console: string[];
}

describe('boot images/flink.json at every quantum', () => {
  it('prints the same console lines and core summaries at quanta 5, 1000, 10000 and 100000', async () => {
    const runs: BootJson[] = [];
    for (const quantum of QUANTA) {
      const result = await runCli(['boot', 'images/flink.json', '--quantum', String(quantum), '--json'], 120_000);
      expect([result.code, result.stderr]).toEqual([0, '']);
      runs.push(JSON.parse(result.stdout) as BootJson);
    }
    const outcome = (run: BootJson) => ({ console: [...run.console].sort(), cores: run.cores });
    const reached = outputLines(runs[0]!.console.join('\n')).filter((line) => line.includes('reached f.lwp'));
    expect(reached).toHaveLength(4);
    // The policy did switch: core 3, the last to finish, made some of its calls to f.lwp.
    expect(reached[3]).toMatch(/core 3: .* [1-9]\d* of 4000 calls of f reached f\.lwp$/);
    for (const run of runs.slice(1)) expect(outcome(run)).toEqual(outcome(runs[0]!));
  });
});
