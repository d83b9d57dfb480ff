import { encoderFor, linkReport, type Intensity } from '../../linker/index.js';
import { bootImage } from '../boot.js';
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
}

/** `clustervm boot`: runs an image to completion, prints console and summary. */
export async function bootCommand(imagePath: string, options: BootCommandOptions): Promise<number> {
  const consoleLines: string[] = [];
  const sink = options.json ? (line: string) => consoleLines.push(line) : (line: string) => process.stdout.write(`${line}\n`);
  const trace = options.trace ? new TraceWriter(options.trace) : undefined;
  let cluster: Cluster | undefined;
  try {
    cluster = await bootImage(imagePath, {
      maxInstructions: options.maxInstructions,
      console: sink,
      ...(trace ? { trace: trace.block.bind(trace) } : {}),
    }, { bind: options.bind });
    const progress = progressReporter(process.stderr);
    const cores = cluster.run({ quantum: options.quantum, ...(progress ? { onRound: progress.update } : {}) });
    progress?.done();
    const summary = summarize(imagePath, options.quantum, cores);
    if (options.json) {
      const links = cluster.nodes.map((node) => ({ node: node.nodeId, ...linkReport(node.linker, encoderFor(node.isa)) }));
      process.stdout.write(`${JSON.stringify({ ...summary, links, console: consoleLines }, null, 2)}\n`);
    } else {
      for (const core of cores) if (core.fault) process.stdout.write(`${formatFault(core.fault)}\n`);
      process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
    }
    return summary.exitCode;
  } finally {
    cluster?.close();
    trace?.close();
  }
}
