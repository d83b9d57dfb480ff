import { createReadStream, statSync } from 'node:fs';
import type { Intensity } from '../../linker/index.js';
import { bootImage } from '../boot.js';
import { DebugSession, runConsole } from '../debugger/index.js';
import { listenForGdb } from './gdb-listen.js';
import { TraceWriter } from './trace-writer.js';
import { UsageError } from './usage-error.js';

export interface DebugCommandOptions {
  readonly quantum: number;
  readonly historyEvery: number;
  readonly maxInstructions: number;
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly script?: string;
  readonly gdb?: number;
  readonly trace?: string;
}

/** Refuses a --script that is not a readable regular file, before anything boots. */
function checkScript(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new UsageError(`--script ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code})`);
  }
  if (!isFile) throw new UsageError(`--script ${path}: not a regular file`);
}

/** Opens the script, turning an open failure (permissions) into a usage error. */
async function openScript(path: string): Promise<NodeJS.ReadableStream> {
  const stream = createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`--script ${path}: cannot read the file (${error.code})`)));
  });
  return stream;
}

/**
 * `clustervm debug`: boots the image stopped before its first instruction and hands it
 * to the console (stdin, or --script FILE) or, with --gdb PORT, to a gdb.
 */
export async function debugCommand(imagePath: string, options: DebugCommandOptions): Promise<number> {
  if (options.script !== undefined) checkScript(options.script);
  // As for boot: the trace opens once the image has loaded, and stopping never changes it.
  let trace: TraceWriter | undefined;
  const cluster = await bootImage(imagePath, {
    maxInstructions: options.maxInstructions,
    console: (line) => process.stdout.write(`${line}\n`),
    ...(options.trace !== undefined ? { trace: (node: number, core: number, pc: number) => trace!.block(node, core, pc) } : {}),
  }, { bind: options.bind });
  if (options.trace !== undefined) trace = new TraceWriter(options.trace);
  try {
    const session = new DebugSession(cluster, options.quantum, { historyEvery: options.historyEvery });
    if (options.gdb !== undefined) {
      // A debugging session outlives one gdb: detach, disconnect or a gdb crash, then connect again.
      const server = await listenForGdb(session, options.gdb, true);
      process.stderr.write(`clustervm: gdb remote stub on 127.0.0.1:${server.port}\n`);
      await server.closed;
      return 0;
    }
    const input = options.script !== undefined ? await openScript(options.script) : process.stdin;
    return await runConsole(session, input, process.stdout, { interactive: options.script === undefined && Boolean(process.stdin.isTTY) });
  } finally {
    trace?.close();
    if (trace?.failure) process.stderr.write(`clustervm: --trace ${trace.path}: cannot write the trace (${trace.failure}): the trace is incomplete\n`);
    cluster.close();
  }
}
