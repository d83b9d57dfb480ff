// Catchpoints report every event once: one commit aborts several transactions at once,
// and each abort is its own stop, after the commit that caused it.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/index.js';
import { debugScript } from './run-debug.js';

interface DsmSummary {
  dsm: { nodes: { commits: number; abortsTrueSharing: number; abortsFalseSharing: number }[] };
}

describe('catch commit abort on images/dsm-counter.json', () => {
  it('stops once per commit and once per abort, as many as the run has', async () => {
    const free = JSON.parse((await runCli(['boot', 'images/dsm-counter.json', '--json', '--quantum', '1000'])).stdout) as DsmSummary;
    const commits = free.dsm.nodes.reduce((sum, node) => sum + node.commits, 0);
    const aborts = free.dsm.nodes.reduce((sum, node) => sum + node.abortsTrueSharing + node.abortsFalseSharing, 0);
    expect(aborts).toBeGreaterThan(100);
    const commands = ['catch commit abort', ...Array<string>(commits + aborts + 5).fill('continue'), 'quit'];
    const result = await debugScript('images/dsm-counter.json', commands);
    const caught = result.stdout.split('\n').filter((line) => line.startsWith('caught '));
    expect(caught.filter((line) => line.startsWith('caught commit: '))).toHaveLength(commits);
    expect(caught.filter((line) => line.startsWith('caught abort: '))).toHaveLength(aborts);
    // Global time counts the commits: each is reported once, in order.
    const times = caught.flatMap((line) => /global time (\d+)$/.exec(line)?.[1] ?? []).map(Number);
    expect(times).toEqual(Array.from({ length: commits }, (_, i) => i + 1));
    expect(result.stdout).toContain('every core has exited or faulted');
  });
});
