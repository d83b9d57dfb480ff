// --trace FILE: one `n<node>.c<core> 0x<pc>` line per executed basic block, and runs
// with the same options are byte-for-byte reproducible. Of each pair of runs one is the
// real process and the other the CLI's main() called in this process (a child per run
// was much of the suite's time: Node and tsx start-up), so the trace is also the same in
// a fresh process and in one that has run other clusters before.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const TRACE_LINE = /^n(\d+)\.c(\d+) 0x[0-9a-f]{8,}$/;

/** Checks every line's format; returns how many lines each core has. */
function checkTrace(trace: Buffer): Map<string, number> {
  const text = trace.toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  const perCore = new Map<string, number>();
  const lines = text.slice(0, -1).split('\n');
  for (const line of lines) {
    const m = TRACE_LINE.exec(line);
    if (!m) expect.fail(`bad trace line: ${JSON.stringify(line)}`);
    const key = `n${m[1]}.c${m[2]}`;
    perCore.set(key, (perCore.get(key) ?? 0) + 1);
  }
  return perCore;
}

describe('clustervm boot --trace', () => {
  it.each([
    { image: 'images/hello-x86.json', args: [] as string[], cores: ['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1'] },
    { image: 'images/hello-sparc.json', args: ['--quantum', '7'], cores: ['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1'] },
    {
      image: 'images/default.json', args: ['--quantum', '777'],
      cores: ['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1', 'n2.c0', 'n2.c1', 'n3.c0', 'n3.c1'],
    },
  ])('$image $args: well-formed and identical across two runs', async ({ image, args, cores }) => {
    const slug = image.replace(/\W+/g, '-');
    const first = tmp.join(`${slug}-1.trace`);
    const second = tmp.join(`${slug}-2.trace`);
    const run1 = await runCli(['boot', image, ...args, '--trace', first]);
    const run2 = await runCliInProcess(['boot', image, ...args, '--trace', second]);
    for (const run of [run1, run2]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    expect(run2.stdout).toBe(run1.stdout);

    const trace1 = readFileSync(first);
    const trace2 = readFileSync(second);
    expect(trace1.length).toBeGreaterThan(0);
    expect(trace2.length, 'same trace size').toBe(trace1.length);
    expect(trace2.equals(trace1), 'byte-identical traces').toBe(true);

    const perCore = checkTrace(trace1);
    expect([...perCore.keys()].sort()).toEqual(cores);
    for (const core of cores) expect(perCore.get(core)!).toBeGreaterThan(0);
  });

  it('tracing does not change what the guests print or the summary', async () => {
    const trace = tmp.join('compare.trace');
    const plain = await runCliInProcess(['boot', 'images/hello-x86.json']);
    const traced = await runCliInProcess(['boot', 'images/hello-x86.json', '--trace', trace]);
    expect(plain.code).toBe(0);
    expect(traced.code).toBe(0);
    expect(traced.stdout).toBe(plain.stdout);
  });

  it('a bad image leaves an existing trace file as it was', async () => {
    const trace = tmp.join('kept.trace');
    writeFileSync(trace, 'n0.c0 0x00102000\n');
    const image = tmp.join('bad.json');
    writeFileSync(image, '{ "name": "bad", "nodes": [] }');
    const run = await runCliInProcess(['boot', image, '--trace', trace]);
    expect(run.code).toBe(2);
    expect(readFileSync(trace, 'utf8')).toBe('n0.c0 0x00102000\n');
  });
});
