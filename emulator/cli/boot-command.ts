import { encoderFor, linkReport, type Intensity } from '../../linker/index.js';
import { bootImage } from '../boot.js';
import { DebugSession } from '../debugger/index.js';
import { GdbServer } from '../debugger/gdb/server.js';
import { formatChannelTable, summarizeChannels } from './channel-summary.js';
import { formatDsmTable, summarizeDsm } from './dsm-summary.js';
import { formatFault, type Cluster } from '../machine/index.js';
import { progressReporter } from './progress.js';
import { formatSummaryTable, summarize } from './summary-table.js';
import { TraceWriter } from './trace-writer.js';

export interface BootCommandOptions {
  readonly quantum: number;
  readonly maxInstructions: number;
  readonly trace?: string;
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly json: boolean;
  /** Serve gdb on this port first; the run finishes once gdb detaches. */
  readonly gdb?: number;
}

/** Lets a gdb control the booted cluster until it detaches. */
async function serveGdb(cluster: Cluster, quantum: number, port: number): Promise<void> {
  const server = await GdbServer.listen(new DebugSession(cluster, quantum), port);
  process.stderr.write(`clustervm: waiting for gdb on 127.0.0.1:${server.port}\n`);
  await server.closed;
}

/** `clustervm boot`: runs an image to completion, prints console and summary. */
export async function bootCommand(imagePath: string, options: BootCommandOptions): Promise<number> {
  const consoleLines: string[] = [];
  const sink = options.json ? (line: string) => consoleLines.push(line) : (line: string) => process.stdout.write(`${line}\n`);
  // The trace file opens only once the image has loaded, so a bad image leaves an
  // existing trace untouched.
  let trace: TraceWriter | undefined;
  let cluster: Cluster | undefined;
  try {
    cluster = await bootImage(imagePath, {
      maxInstructions: options.maxInstructions,
      console: sink,
      ...(options.trace ? { trace: (node: number, core: number, pc: number) => trace!.block(node, core, pc) } : {}),
    }, { bind: options.bind });
    if (options.trace) trace = new TraceWriter(options.trace);
    if (options.gdb !== undefined) await serveGdb(cluster, options.quantum, options.gdb);
    const progress = progressReporter(process.stderr);
    const cores = cluster.run({ quantum: options.quantum, ...(progress ? { onRound: progress.update } : {}) });
    progress?.done();
    const summary = summarize(imagePath, options.quantum, cores);
    if (options.json) {
      const links = cluster.nodes.map((node) => ({ node: node.nodeId, ...linkReport(node.linker, encoderFor(node.isa)) }));
      const dsm = cluster.kernel.dsm ? { dsm: summarizeDsm(cluster.kernel.dsm) } : {};
      const channels = cluster.kernel.channels ? { channels: summarizeChannels(cluster.kernel.channels) } : {};
      process.stdout.write(`${JSON.stringify({ ...summary, ...dsm, ...channels, links, console: consoleLines }, null, 2)}\n`);
    } else {
      for (const core of cores) if (core.fault) process.stdout.write(`${formatFault(core.fault)}\n`);
      process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
      if (cluster.kernel.dsm) process.stdout.write(`\n${formatDsmTable(summarizeDsm(cluster.kernel.dsm))}\n`);
      if (cluster.kernel.channels) process.stdout.write(`\n${formatChannelTable(summarizeChannels(cluster.kernel.channels))}\n`);
    }
    return summary.exitCode;
  } finally {
    cluster?.close();
    trace?.close();
  }
}
