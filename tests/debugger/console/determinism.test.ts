// Through the real CLI: images/flink.json under the console, stopped 300 times at foo on
// n0.c0 (stepping at some stops), then run to the end, leaves the trace, the counts, the
// virtual times and the output of `clustervm boot` at debug's quantum (1000), byte for byte.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, TempDir } from '../../support/index.js';
import { debugScript, outputs } from './run-debug.js';

const dir = new TempDir('clustervm-debug-determinism');
afterAll(() => dir.cleanup());

interface BootSummary {
  cores: { node: number; core: number; instructions: number; virtualNs: number }[];
  console: string[];
}

describe('clustervm debug never changes the run', () => {
  it('300 stops at foo on n0.c0 and steps between them: the trace, counts and output of the free run', async () => {
    const freeTrace = dir.join('free.trace');
    const free = JSON.parse((await runCli(['boot', 'images/flink.json', '--json', '--quantum', '1000', '--trace', freeTrace])).stdout) as BootSummary;
    const stops = Array.from({ length: 300 }, (_, i) => (i % 10 === 9 ? ['continue', 'step 3'] : ['continue'])).flat();
    const commands = ['break foo n0.c0', ...stops, 'delete 1', 'continue', 'cores', 'quit'];
    const watchedTrace = dir.join('watched.trace');
    const result = await debugScript('images/flink.json', commands, ['--trace', watchedTrace]);
    const transcript = outputs(result, commands);
    expect(transcript[1]![0]).toMatch(/^n0\.c0 stopped at breakpoint 1, 0x[0-9a-f]+ <foo>$/);
    expect(transcript.filter((lines) => lines.some((line) => /stopped at breakpoint 1/.test(line))).length).toBeGreaterThanOrEqual(300);
    const cores = transcript.at(-2)!.slice(2).map((line) => line.replace(/^\*/, ' ').trim().split(/\s+/));
    expect(cores.map((row) => [row[0], Number(row.at(-2)!.replace(/,/g, '')), Number(row.at(-1)!.replace(/,/g, ''))]))
      .toEqual(free.cores.map((core) => [`n${core.node}.c${core.core}`, core.instructions, core.virtualNs]));
    const guestLines = result.stdout.split('\n').filter((line) => free.console.includes(line));
    expect(guestLines).toEqual(free.console);
    const watched = readFileSync(watchedTrace, 'utf8');
    expect(watched.length).toBeGreaterThan(1000);
    expect(watched === readFileSync(freeTrace, 'utf8')).toBe(true);
  });
});
