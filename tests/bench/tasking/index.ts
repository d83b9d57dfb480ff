// `tasking` benchmark: Mach remote tasking's figures (Milojicic et al., "Concurrency, a
// case study in remote tasking and distributed IPC"), in virtual time. Figure 6: the
// creation time of 1..63 remote tasks by flat sequential, flat concurrent and crtc
// creation over stop-and-wait and windowed transport; Figure 7: crtc's steps at
// 2^k + 1 nodes; Figure 9: creation time against VM areas; Figure 11: page-in of 300
// pages by 1..50 tasks with a flat and a hierarchical paging tree. Every figure is
// deterministic: the same on every machine and run.
import { lineChart } from '../../../emulator/reports/index.js';
import { formatTable, summaryLine } from '../format.js';
import { writePlot } from '../plots.js';
import { elapsedMs } from '../stats.js';
import { TempDir } from '../../support/index.js';
import { TASK_COSTS } from '../../../guest-kernel/index.js';
import { PAGE_IN_PAGES, type Method, type Transport } from './guests.js';
import { creationNs, pageIn, type PageIn } from './measure.js';
import { stepsAt } from './steps.js';

const METHODS: readonly Method[] = ['flat-sequential', 'flat-concurrent', 'crtc'];
const TRANSPORTS: readonly Transport[] = ['stop-and-wait', 'window'];
const FIGURE_6_TASKS = [1, 2, 3, 4, 5, 8, 9, 16, 17, 32, 33, 48, 63];
const AREAS = [1, 2, 4, 8, 16, 32];
const AREA_TASKS = 8;
const PAGE_IN_TASKS = [1, 2, 5, 10, 20, 30, 40, 50];
/** The seed's ratios at 63 tasks. */
const SEED = { crtcSpeedup: 14, concurrentSpeedup: 1.2 };

const ms = (ns: number) => (ns / 1e6).toFixed(3);

export async function run(): Promise<void> {
  const started = process.hrtime.bigint();
  const tmp = new TempDir('clustervm-bench-tasking');
  try {
    const creation = new Map<string, number>();
    const key = (method: Method, transport: Transport, tasks: number) => `${method} ${transport} ${tasks}`;
    for (const transport of TRANSPORTS) {
      for (const method of METHODS) {
        for (const tasks of FIGURE_6_TASKS) creation.set(key(method, transport, tasks), await creationNs(tmp, method, transport, tasks));
      }
    }
    process.stdout.write(`Figure 6: creation time of N remote tasks (virtual ms; ${TASK_COSTS.createNs / 1000} us of the creator's kernel per `
      + 'creation, 20 us one-way; every task lives until the last is created)\n');
    process.stdout.write(`${formatTable(['tasks', ...TRANSPORTS.flatMap((t) => METHODS.map((m) => `${m} ${t}`))],
      FIGURE_6_TASKS.map((tasks) => [String(tasks), ...TRANSPORTS.flatMap((t) => METHODS.map((m) => ms(creation.get(key(m, t, tasks))!)))]))}\n`);

    writePlot('tasking', 'figure-6', lineChart(
      { title: 'Creation of N remote tasks (seed Figure 6)', xLabel: 'remote tasks', yLabel: 'creation time (virtual ms)' },
      TRANSPORTS.flatMap((t) => METHODS.map((m) => ({
        name: `${m}, ${t}`, points: FIGURE_6_TASKS.map((tasks): [number, number] => [tasks, creation.get(key(m, t, tasks))! / 1e6]),
      })))));

    const allCounts = Array.from({ length: 63 }, (_, i) => i + 1);
    const crtcSeries: number[] = [];
    for (const tasks of allCounts) crtcSeries.push(creation.get(key('crtc', 'window', tasks)) ?? await creationNs(tmp, 'crtc', 'window', tasks));
    const steps = stepsAt(allCounts, crtcSeries).map((tasks) => tasks + 1);
    const expected = [3, 5, 9, 17, 33];
    process.stdout.write('\nFigure 7: crtc over the window, 1..63 tasks: where the curve steps up (nodes = tasks + the root)\n');
    process.stdout.write(`${formatTable(['nodes', 'creation ms', 'step'], allCounts.map((tasks, i) =>
      [String(tasks + 1), ms(crtcSeries[i]!), steps.includes(tasks + 1) ? 'step' : '']))}\n`);
    process.stdout.write(`steps at ${steps.join(', ')} nodes; a new tree level at 2^k + 1: ${expected.join(', ')}\n`);
    writePlot('tasking', 'figure-7', lineChart(
      { title: 'crtc creation: a step at every 2^k + 1 nodes (seed Figure 7)', xLabel: 'nodes (tasks + the root)', yLabel: 'creation time (virtual ms)' },
      [{ name: 'crtc, window', points: allCounts.map((tasks, i): [number, number] => [tasks + 1, crtcSeries[i]! / 1e6]) }]));

    process.stdout.write(`\nFigure 9: creation time of ${AREA_TASKS} tasks against the VM areas of the template (virtual ms, window)\n`);
    const areaRows: string[][] = [];
    for (const areas of AREAS) {
      areaRows.push([String(areas), ms(await creationNs(tmp, 'flat-sequential', 'window', AREA_TASKS, areas)),
        ms(await creationNs(tmp, 'crtc', 'window', AREA_TASKS, areas))]);
    }
    process.stdout.write(`${formatTable(['areas', 'flat-sequential', 'crtc'], areaRows)}\n`);

    process.stdout.write(`\nFigure 11: page-in of ${PAGE_IN_PAGES} pages by N tasks created by crtc, flat and hierarchical paging tree `
      + '(virtual ms per task)\n');
    const pageIns: { tasks: number; flat: PageIn; hierarchical: PageIn }[] = [];
    for (const tasks of PAGE_IN_TASKS) pageIns.push({ tasks, flat: await pageIn(tmp, false, tasks), hierarchical: await pageIn(tmp, true, tasks) });
    process.stdout.write(`${formatTable(['tasks', 'flat max', 'flat min', 'flat mean', 'hier max', 'hier min', 'hier mean'],
      pageIns.map((row) => [String(row.tasks), ms(row.flat.maxNs), ms(row.flat.minNs), ms(row.flat.meanNs),
        ms(row.hierarchical.maxNs), ms(row.hierarchical.minNs), ms(row.hierarchical.meanNs)]))}\n`);

    writePlot('tasking', 'figure-11', lineChart(
      { title: `Page-in of ${PAGE_IN_PAGES} pages by N tasks (seed Figure 11)`, xLabel: 'tasks', yLabel: 'page-in time per task (virtual ms)' },
      (['flat', 'hierarchical'] as const).flatMap((tree) => (['maxNs', 'minNs'] as const).map((field) => ({
        name: `${tree} tree, ${field === 'maxNs' ? 'slowest' : 'fastest'}`,
        points: pageIns.map((row): [number, number] => [row.tasks, row[tree][field] / 1e6]),
      })))));

    const at63 = (method: Method, transport: Transport) => creation.get(key(method, transport, 63))!;
    const crtcSpeedup = at63('flat-sequential', 'window') / at63('crtc', 'window');
    const concurrentSpeedup = at63('flat-sequential', 'window') / at63('flat-concurrent', 'window');
    const normaCrtc = at63('crtc', 'stop-and-wait') / at63('crtc', 'window');
    const normaCrtcSpeedup = at63('flat-sequential', 'stop-and-wait') / at63('crtc', 'stop-and-wait');
    const normaConcurrentSpeedup = at63('flat-sequential', 'stop-and-wait') / at63('flat-concurrent', 'stop-and-wait');
    const last = pageIns.at(-1)!;
    process.stdout.write(`\nratios at 63 tasks over the window, measured (seed): crtc vs flat sequential ${crtcSpeedup.toFixed(1)}x `
      + `(${SEED.crtcSpeedup}x), flat concurrent vs flat sequential ${concurrentSpeedup.toFixed(2)}x (${SEED.concurrentSpeedup}x); `
      + `over stop-and-wait: crtc ${normaCrtcSpeedup.toFixed(1)}x, flat concurrent ${normaConcurrentSpeedup.toFixed(2)}x; `
      + `crtc over stop-and-wait ${normaCrtc.toFixed(1)}x its windowed time; page-in by 50 tasks, slowest task, flat `
      + `vs hierarchical tree ${(last.flat.maxNs / last.hierarchical.maxNs).toFixed(1)}x\n`);
    process.stdout.write(`host time of the whole benchmark: ${(elapsedMs(started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`${summaryLine('tasking', {
      crtc_speedup: crtcSpeedup.toFixed(1),
      step_at: steps.join(','),
      seed_crtc_speedup: SEED.crtcSpeedup,
      concurrent_speedup: concurrentSpeedup.toFixed(2),
      seed_concurrent_speedup: SEED.concurrentSpeedup,
      stop_and_wait_crtc_ratio: normaCrtc.toFixed(1),
      hier_vs_flat_50: (last.flat.maxNs / last.hierarchical.maxNs).toFixed(1),
    })}\n`);
  } finally {
    tmp.cleanup();
  }
}
