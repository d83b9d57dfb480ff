// The one in-process runner of tests and benches: boot an image on the real engines,
// collect its console (and trace), run it to the end, look at the live cluster, close it.

import { bootImage, ImageError, type Cluster, type CoreSummary, type SchedulerProgress } from '../../emulator/index.js';
import type { Intensity } from '../../linker/index.js';

export interface BootSettings {
  readonly maxInstructions?: number;
  readonly trace?: boolean;
  /** Binding intensities over the image's, as `--bind` gives them. */
  readonly bind?: ReadonlyMap<string, Intensity>;
}

export interface BootedCluster {
  readonly cluster: Cluster;
  /** Console lines as they are printed, `n<node>.c<core> text`. */
  readonly console: string[];
  /** With `trace`: one line per executed basic block, `n<node>.c<core> <pc hex>`. */
  readonly trace: string[];
}

/** Boots an image in this process and leaves the cluster to the caller, who closes it. */
export async function bootCluster(path: string, settings: BootSettings = {}): Promise<BootedCluster> {
  const console: string[] = [];
  const trace: string[] = [];
  const cluster = await bootImage(path, {
    maxInstructions: settings.maxInstructions ?? 1e9,
    console: (line) => console.push(line),
    ...(settings.trace ? { trace: (node: number, core: number, pc: number) => trace.push(`n${node}.c${core} ${pc.toString(16)}`) } : {}),
  }, settings.bind ? { bind: settings.bind } : {});
  return { cluster, console, trace };
}

export interface RunSettings<T> extends BootSettings {
  readonly quantum?: number;
  /** Called once the cluster is booted, before it runs. */
  readonly beforeRun?: (cluster: Cluster) => void;
  /** Called after every scheduler round, with the live cluster. */
  readonly onRound?: (cluster: Cluster, progress: SchedulerProgress) => void;
  /** Reads the live cluster after the run, before it closes. */
  readonly inspect?: (cluster: Cluster, cores: CoreSummary[]) => T;
}

export interface ImageRun<T = undefined> extends Omit<BootedCluster, 'cluster'> {
  readonly cores: CoreSummary[];
  /** Host time of the run alone, boot and assembly excluded. */
  readonly hostMs: number;
  /** Virtual ns of the run: the latest core. */
  readonly virtualNs: number;
  readonly inspected: T;
}

/** Boots an image in this process, runs it to the end and closes it. */
export async function runImage<T = undefined>(path: string, settings: RunSettings<T> = {}): Promise<ImageRun<T>> {
  const { cluster, console, trace } = await bootCluster(path, settings);
  try {
    settings.beforeRun?.(cluster);
    const onRound = settings.onRound;
    const start = process.hrtime.bigint();
    const cores = cluster.run({
      quantum: settings.quantum ?? 10_000,
      ...(onRound ? { onRound: (progress: SchedulerProgress) => onRound(cluster, progress) } : {}),
    });
    const hostMs = Number(process.hrtime.bigint() - start) / 1e6;
    return {
      console, trace, cores, hostMs,
      virtualNs: Math.max(...cores.map((core) => core.virtualNs)),
      inspected: settings.inspect?.(cluster, cores) as T,
    };
  } finally {
    cluster.close();
  }
}

export function coreOf(cores: readonly CoreSummary[], node: number, core: number): CoreSummary {
  const found = cores.find((c) => c.node === node && c.core === core);
  if (!found) throw new Error(`no core n${node}.c${core}`);
  return found;
}

/** One line per core, for failure messages. */
export function describeCores(cores: readonly CoreSummary[]): string {
  return cores.map((c) => `n${c.node}.c${c.core} ${c.status} exit=${c.exitStatus} result=${c.result} ns=${c.virtualNs}`
    + (c.fault ? ` fault: ${c.fault.reason}` : '')).join('\n');
}

/** Throws, naming `what` and the core, unless every core that ran exited with status 0. */
export function expectCleanExit(what: string, cores: readonly CoreSummary[]): void {
  for (const core of cores) {
    if (core.status === 'idle') continue;
    if (core.status !== 'exited' || core.exitStatus !== 0) {
      throw new Error(`${what}: n${core.node}.c${core.core} ended ${core.status} ` +
        `${core.fault?.reason ?? `(exit ${core.exitStatus})`}`);
    }
  }
}

/**
 * The line `clustervm boot` prints for an image the loader refuses (`clustervm: ` and
 * the ImageError's message), taken in this process; tests/cli/image-errors.test.ts
 * checks that the CLI prints such a line alone and exits 2.
 */
export async function imageErrorLine(path: string): Promise<string> {
  let cluster: Cluster | undefined;
  try {
    cluster = await bootImage(path, { maxInstructions: 1, console: () => undefined });
  } catch (error) {
    if (error instanceof ImageError) return `clustervm: ${error.message}`;
    throw error;
  }
  cluster.close();
  throw new Error(`${path} booted: the loader refused nothing`);
}
