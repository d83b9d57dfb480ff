import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { encoderFor, linkReport, type Intensity } from '../../linker/index.js';
import { bootImage } from '../boot.js';
import { DebugSession } from '../debugger/index.js';
import { ConsoleCollector } from './console-collector.js';
import { listenForGdb } from './gdb-listen.js';
import { writeJsonWithArray } from './json-writer.js';
import {
  formatFault, type Cluster, type ClusterRunOptions, type CoreSummary, type NodeCrash, type SchedulerProgress,
} from '../machine/index.js';
import { progressReporter } from './progress.js';
import {
  formatChannelTable, formatDsmTable, formatSummaryTable, formatTaskTable, summarize, summarizeChannels, summarizeDsm,
  summarizeTasks,
} from '../reports/index.js';
import { TraceWriter } from './trace-writer.js';
import { DEFAULT_MAX_EVENTS, RunTimeline, writePerfettoTrace, type Timeline } from '../perfetto/index.js';
import { htmlReport } from '../run-report/index.js';
import {
  NodeFailureError, restoreSnapshot, RunConsole, runWithCheckpoints, type CheckpointPlan, type Snapshot,
} from '../snapshot/index.js';
import { UsageError } from './usage-error.js';

const EXIT_GUEST = 1;
const EXIT_USAGE = 2;

export interface BootCommandOptions {
  readonly quantum: number;
  readonly maxInstructions: number;
  readonly trace?: string;
  /** `--perfetto FILE`: a Perfetto trace of the run, written once it ends; at most `maxEvents` events. */
  readonly perfetto?: { readonly file: string; readonly maxEvents: number };
  /** `--report FILE.html`: the run's HTML report, written once it ends. */
  readonly report?: string;
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly json: boolean;
  /** Serve gdb on this port first; the run finishes once gdb detaches. */
  readonly gdb?: number;
  /** Called before each quantum the scheduler runs (the supervisor's crash search). */
  readonly beforeQuantum?: ClusterRunOptions['beforeQuantum'];
  /**
   * Write a snapshot every `everyNs` of virtual time into `dir`; with `resume`, go on
   * from one of them as if the run had got there (the supervisor, after an engine crash).
   */
  readonly checkpoint?: CheckpointPlan;
  /** Start from this snapshot (read from `file`) instead of from reset. */
  readonly resume?: { readonly snapshot: Snapshot; readonly file: string };
  /** Nodes to fail, beside the image's `interconnect.faults` (a resumed run has neither: they happened in the run it resumes). */
  readonly crashes?: readonly NodeCrash[];
}

/** The image's failures and the options', checked against the cluster; a run resumed from a snapshot has none. */
function plannedCrashes(cluster: Cluster, options: BootCommandOptions): NodeCrash[] {
  if (options.resume) return [];
  for (const crash of options.crashes ?? []) {
    if (crash.node >= cluster.nodes.length) {
      throw new UsageError(`--crash ${crash.node}@${crash.atNs}: the image has ${cluster.nodes.length} nodes (0-${cluster.nodes.length - 1})`);
    }
  }
  const crashes = [...cluster.crashes, ...(options.crashes ?? [])];
  if (crashes.length > 0 && options.trace !== undefined) throw new UsageError('--trace: not with node failures (the run goes back to a checkpoint, the trace file cannot)');
  if (crashes.length > 0 && options.report !== undefined) throw new UsageError('--report: not with node failures (the run goes back to a checkpoint)');
  if (crashes.length > 0 && options.perfetto !== undefined) {
    throw new UsageError('--perfetto: not with node failures (the run goes back to a checkpoint, a trace\'s time cannot)');
  }
  if (crashes.length > 0 && options.gdb !== undefined) throw new UsageError('--gdb: not with node failures');
  return crashes;
}

/** Lets a gdb control the booted cluster until it detaches. */
async function serveGdb(cluster: Cluster, quantum: number, port: number): Promise<void> {
  const server = await listenForGdb(new DebugSession(cluster, quantum), port);
  process.stderr.write(`clustervm: waiting for gdb on 127.0.0.1:${server.port}\n`);
  await server.closed;
}

const writeStdout = (text: string): void => {
  process.stdout.write(text);
};

/** Writes the Perfetto trace; a window that filled up is said on stderr, so a short trace is never mistaken for the run. */
function writeTimeline(file: string, timeline: Timeline): void {
  writePerfettoTrace(file, timeline);
  if (timeline.truncatedAtNs !== undefined) {
    process.stderr.write(`clustervm: --perfetto ${file}: the trace stops at ${Math.round(timeline.truncatedAtNs)} ns, `
      + 'where it reached --perfetto-max-events; the run went on to its end\n');
  }
}

/** Writes the HTML report of the finished run. */
function writeReport(file: string, cluster: Cluster, timeline: Timeline, summary: ReturnType<typeof summarize>, cores: readonly CoreSummary[]): void {
  writeFileSync(file, htmlReport({
    summary, timeline,
    dsm: cluster.kernel.dsm ? summarizeDsm(cluster.kernel.dsm) : undefined,
    channels: cluster.kernel.channels ? summarizeChannels(cluster.kernel.channels) : undefined,
    tasks: cluster.kernel.tasks ? summarizeTasks(cluster.kernel.tasks) : undefined,
    links: cluster.nodes.map((node) => ({ node: node.nodeId, ...linkReport(node.linker, encoderFor(node.isa)) })),
    faults: cores.flatMap((core) => (core.fault ? [core.fault] : [])),
  }));
}

/** `clustervm boot`: runs an image to completion, prints console and summary. */
export async function bootCommand(imagePath: string, options: BootCommandOptions): Promise<number> {
  const collector = options.json ? new ConsoleCollector() : undefined;
  const shown = collector ? collector.add : (line: string) => writeStdout(`${line}\n`);
  // A run keeping checkpoints puts its lines in them; with failures they are held until one does.
  let target = shown;
  const sink = (line: string): void => target(line);
  // The trace file opens only once the image has loaded, so a bad image leaves an
  // existing trace untouched.
  let trace: TraceWriter | undefined;
  let cluster: Cluster | undefined;
  try {
    cluster = await bootImage(imagePath, {
      maxInstructions: options.maxInstructions,
      console: sink,
      ...(options.trace !== undefined ? { trace: (node: number, core: number, pc: number) => trace!.block(node, core, pc) } : {}),
    }, { bind: options.bind });
    if (options.trace !== undefined) trace = new TraceWriter(options.trace);
    if (options.gdb !== undefined) await serveGdb(cluster, options.quantum, options.gdb);
    const progress = progressReporter(process.stderr, cluster, options.json);
    const timeline = options.perfetto || options.report !== undefined
      ? new RunTimeline(cluster, options.perfetto?.maxEvents ?? DEFAULT_MAX_EVENTS) : undefined;
    const onRound = progress || timeline ? (round: SchedulerProgress) => {
      progress?.update(round);
      timeline?.round();
    } : undefined;
    const scheduler = cluster.scheduler(onRound, options.beforeQuantum);
    if (options.resume) restoreSnapshot(cluster, scheduler, options.resume.snapshot, options.resume.file);
    const crashes = plannedCrashes(cluster, options);
    const failures: string[] = [];
    if (options.checkpoint || crashes.length > 0) {
      const settings = { image: imagePath, quantum: options.quantum, maxInstructions: options.maxInstructions, bind: options.bind };
      const runConsole = new RunConsole(shown, crashes.length > 0);
      target = runConsole.add;
      const resumed = options.checkpoint?.resume;
      if (resumed) {
        restoreSnapshot(cluster, scheduler, resumed.snapshot, resumed.file);
        runConsole.resumeWith(resumed.snapshot.console);
        process.stderr.write(`clustervm: the engine crashed; the run goes on from its last checkpoint before that, `
          + `${basename(resumed.file)} (${Math.round(resumed.snapshot.virtualNs)} ns)\n`);
      }
      const report = (line: string) => {
        failures.push(line);
        if (!collector) process.stderr.write(`clustervm: ${line}\n`);
      };
      try {
        const plan = options.checkpoint && timeline
          ? { ...options.checkpoint, written: (file: string, ns: number, whole: boolean) => timeline.checkpoint(basename(file), ns, whole) }
          : options.checkpoint;
        runWithCheckpoints(cluster, scheduler, settings, runConsole, plan, crashes.length > 0 ? { crashes, report } : undefined);
      } catch (error) {
        if (!(error instanceof NodeFailureError)) throw error;
        target = shown;
        cluster.finish();
        progress?.done();
        process.stderr.write(`clustervm: ${error.message}\n`);
        return EXIT_GUEST;
      }
      target = shown;
    } else {
      scheduler.runToEnd(options.quantum);
    }
    const cores = cluster.finish();
    progress?.done();
    const summary = summarize(imagePath, options.quantum, cores);
    if (collector) {
      const links = cluster.nodes.map((node) => ({ node: node.nodeId, ...linkReport(node.linker, encoderFor(node.isa)) }));
      const dsm = cluster.kernel.dsm ? { dsm: summarizeDsm(cluster.kernel.dsm) } : {};
      const channels = cluster.kernel.channels ? { channels: summarizeChannels(cluster.kernel.channels) } : {};
      const tasks = cluster.kernel.tasks ? summarizeTasks(cluster.kernel.tasks) : {};
      const failed = crashes.length > 0 ? { failures } : {};
      writeJsonWithArray(writeStdout, { ...summary, ...dsm, ...channels, ...tasks, ...failed, links }, 'console', collector.collected());
    } else {
      for (const core of cores) if (core.fault) writeStdout(`${formatFault(core.fault)}\n`);
      writeStdout(`\n${formatSummaryTable(summary)}\n`);
      if (cluster.kernel.dsm) writeStdout(`\n${formatDsmTable(summarizeDsm(cluster.kernel.dsm))}\n`);
      if (cluster.kernel.channels) writeStdout(`\n${formatChannelTable(summarizeChannels(cluster.kernel.channels))}\n`);
      if (cluster.kernel.tasks) writeStdout(`\n${formatTaskTable(summarizeTasks(cluster.kernel.tasks))}\n`);
    }
    // The last round's states, once, for both the trace and the report.
    timeline?.round();
    const recorded = timeline?.timeline();
    if (recorded && options.perfetto) writeTimeline(options.perfetto.file, recorded);
    if (recorded && options.report !== undefined) writeReport(options.report, cluster, recorded, summary, cores);
    trace?.close();
    if (trace?.failure) {
      process.stderr.write(`clustervm: --trace ${trace.path}: cannot write the trace (${trace.failure}): the trace is incomplete, the run finished\n`);
      return EXIT_USAGE;
    }
    return summary.exitCode;
  } finally {
    cluster?.close();
    trace?.close();
  }
}
