// One boot per figure point, run to the end in this process: the rfork's creation time
// (virtual ns from the call to the last acknowledgement) or the tasks' page-in times.
import { expectCleanExit, runImage, type TempDir } from '../../support/index.js';
import { creationSource, pageInSource, taskImage, type Method, type Transport } from './guests.js';

async function families(image: string) {
  const run = await runImage(image, {
    maxInstructions: 1e10,
    inspect: (cluster) => ({ families: cluster.kernel.tasks!.families(), tasks: cluster.kernel.tasks!.list() }),
  });
  expectCleanExit(image, run.cores);
  return run.inspected;
}

/** Virtual ns to create `tasks` remote tasks with `areas` VM areas. */
export async function creationNs(tmp: TempDir, method: Method, transport: Transport, tasks: number, areas = 1): Promise<number> {
  const image = taskImage(tmp, `create-${method}-${areas}`, creationSource(method, areas), tasks, transport);
  const { families: [family], tasks: list } = await families(image);
  const createdNs = family!.createdNs!;
  // The creation time is only the creations' if no task ended (and sent its exit notice) before the last was made.
  const early = list.filter((task) => task.parent !== 0 && task.exitedNs! <= createdNs);
  if (early.length > 0) throw new Error(`${image}: task ${early[0]!.id} exited at ${early[0]!.exitedNs} ns, before creation ended at ${createdNs} ns`);
  return createdNs - family!.calledNs;
}

export interface PageIn {
  readonly maxNs: number;
  readonly minNs: number;
  readonly meanNs: number;
}

/** Each of `tasks` tasks pages in 300 pages: the longest, shortest and mean time it took. */
export async function pageIn(tmp: TempDir, hierarchical: boolean, tasks: number): Promise<PageIn> {
  const image = taskImage(tmp, `page-in-${hierarchical ? 'hierarchical' : 'flat'}`, pageInSource(hierarchical), tasks, 'window', 2048);
  const times = (await families(image)).tasks.filter((task) => task.parent !== 0).map((task) => Number(task.exitValue));
  if (times.some((ns) => ns < 0)) throw new Error(`${image}: a task read wrong page contents`);
  return { maxNs: Math.max(...times), minNs: Math.min(...times), meanNs: times.reduce((a, b) => a + b, 0) / times.length };
}
