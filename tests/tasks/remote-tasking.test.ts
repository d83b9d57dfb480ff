// Remote tasking on the real engines: tasks forked onto 15 nodes by a spanning tree,
// each computing its share; the three creation methods and both transports giving the
// same results in different virtual time; determinism across quanta; the example
// program images/c/remote-tasks.c on a sparc32 twin of images/remote-tasking.json.
import { afterAll, describe, expect, it } from 'vitest';
import type { FamilyInfo, TaskInfo } from '../../guest-kernel/index.js';
import { join } from 'node:path';
import { REPO_ROOT, TempDir, expectCleanExit, runImage } from '../support/index.js';
import { HOW, shareOf, shareSource, writeTaskImage } from './task-images.js';

const tmp = new TempDir('clustervm-tasks');
afterAll(() => tmp.cleanup());

interface TaskRun {
  readonly console: string[];
  readonly tasks: TaskInfo[];
  readonly families: FamilyInfo[];
  readonly cores: { readonly instructions: number; readonly virtualNs: number }[];
}

async function runTasks(image: string, quantum?: number): Promise<TaskRun> {
  const run = await runImage(image, {
    ...(quantum ? { quantum } : {}),
    inspect: (cluster) => ({ tasks: cluster.kernel.tasks!.list(), families: cluster.kernel.tasks!.families() }),
  });
  expectCleanExit(image, run.cores);
  return {
    console: run.console, ...run.inspected,
    cores: run.cores.map((core) => ({ instructions: core.instructions, virtualNs: core.virtualNs })),
  };
}

const creationNs = (run: TaskRun) => run.families[0]!.createdNs! - run.families[0]!.calledNs;

describe.each(['x86-32', 'sparc32'] as const)('%s', (isa) => {
  it('a task forked onto 15 nodes by crtc computes its share, and the parent\'s waits return every exit value', async () => {
    const run = await runTasks(writeTaskImage(tmp, `crtc-${isa}`, { isa, workers: 15, source: shareSource(15, 15, HOW.crtc) }));
    const spawned = run.tasks.filter((task) => task.parent === 1);
    expect(spawned.map((task) => task.node)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const task of spawned) {
      expect(task.phase).toBe('exited');
      expect(task.exitValue).toBe(BigInt(shareOf(task.node)));
      expect(run.console).toContain(`n0.c0 task ${task.id}: ${shareOf(task.node)}`);
    }
    const total = spawned.reduce((sum, task) => sum + shareOf(task.node), 0);
    expect(run.console.at(-1)).toBe(`n0.c0 total ${total}`);
    expect(run.families).toMatchObject([{ method: 'crtc', paging: 'flat', caller: 1, tasks: 15, areas: 1 }]);
  });

  it('the three creation methods give the same results and differ in virtual time only: crtc < flat concurrent < flat sequential', async () => {
    const runs = await Promise.all((['flat-sequential', 'flat-concurrent', 'crtc'] as const).map((method) =>
      runTasks(writeTaskImage(tmp, `${method}-${isa}`, { isa, workers: 7, source: shareSource(7, 7, HOW[method]) }))));
    const [sequential, concurrent, crtc] = runs as [TaskRun, TaskRun, TaskRun];
    for (const run of [concurrent, crtc]) {
      expect(run.console).toEqual(sequential.console);
      expect(run.tasks.map((task) => task.exitValue)).toEqual(sequential.tasks.map((task) => task.exitValue));
      expect(run.tasks.map((task) => task.pagesFetched)).toEqual(sequential.tasks.map((task) => task.pagesFetched));
    }
    expect(creationNs(crtc)).toBeLessThan(creationNs(concurrent));
    expect(creationNs(concurrent)).toBeLessThan(creationNs(sequential));
  });
});

describe('transports, paging trees and quanta', () => {
  it('stop-and-wait gives the window\'s results with a longer creation; hierarchical paging the flat tree\'s results', async () => {
    const source = shareSource(15, 15, HOW.crtc);
    const window = await runTasks(writeTaskImage(tmp, 'window', { isa: 'x86-32', workers: 15, source }));
    const stopAndWait = await runTasks(writeTaskImage(tmp, 'stop-and-wait', { isa: 'x86-32', workers: 15, source, transport: 'stop-and-wait' }));
    const hierarchical = await runTasks(writeTaskImage(tmp, 'hierarchical',
      { isa: 'x86-32', workers: 15, source: shareSource(15, 15, `${HOW.crtc} | CVM_PAGING_HIERARCHICAL`) }));
    expect(stopAndWait.console).toEqual(window.console);
    expect(hierarchical.console).toEqual(window.console);
    // Each task fetches its one page and returns its share whichever way it comes.
    const pages = (run: TaskRun) => run.tasks.map((task) => [task.id, task.exitValue, task.pagesFetched, task.bytesMoved, task.pagesUntouched]);
    expect(pages(window).slice(1)).toEqual(Array.from({ length: 15 }, (_, i) => [i + 2, BigInt(shareOf(i + 1)), 1, 4096, 14]));
    expect(pages(stopAndWait)).toEqual(pages(window));
    expect(pages(hierarchical)).toEqual(pages(window));
    expect(creationNs(stopAndWait)).toBeGreaterThan(creationNs(window));
    expect(window.families[0]!.paging).toBe('flat');
    expect(hierarchical.families[0]!.paging).toBe('hierarchical');
  });

  it('a run at quantum 1000 and one at 100000 have the same counts, clocks and creation time', async () => {
    const image = writeTaskImage(tmp, 'quanta', { isa: 'x86-32', workers: 7, source: shareSource(7, 7, HOW.crtc) });
    const small = await runTasks(image, 1000);
    const large = await runTasks(image, 100_000);
    expect(large.cores).toEqual(small.cores);
    expect(large.tasks).toEqual(small.tasks);
    expect(large.families).toEqual(small.families);
  });
});

describe('the example program', () => {
  it('images/c/remote-tasks.c on a sparc32 twin of images/remote-tasking.json: 15 crtc tasks sum their pages to the expected total', async () => {
    const source = join(REPO_ROOT, 'images', 'c', 'remote-tasks.c');
    const image = tmp.image('remote-tasking-sparc32.json', {
      name: 'remote-tasking-sparc32', interconnect: { latencyNs: 20_000, bandwidthMbps: 1000 },
      tasks: { sizeKiB: 256, stackKiB: 64, transport: 'window' },
      nodes: [
        { isa: 'sparc32', cores: 1, count: 1, programs: [{ source }] },
        { isa: 'sparc32', cores: 1, count: 15, programs: [{ source, cores: [] }] },
      ],
    });
    const run = await runTasks(image);
    // Word i of the 15-page template is i; task k sums page k - 1.
    const words = 15 * 1024;
    const total = (words * (words - 1)) / 2;
    expect(run.console).toEqual([`n0.c0 15 tasks summed ${total} (expected ${total})`]);
    const spawned = run.tasks.filter((task) => task.parent === 1);
    expect(spawned.map((task) => [task.node, task.exitValue, task.pagesFetched, task.pagesUntouched])).toEqual(
      Array.from({ length: 15 }, (_, i) => [i + 1, BigInt(1024 * 1024 * i + (1023 * 1024) / 2), 1, 14]));
    expect(run.families).toMatchObject([{ method: 'crtc', tasks: 15, areas: 1 }]);
  });
});
