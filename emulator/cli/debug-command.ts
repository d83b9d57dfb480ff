import { createReadStream } from 'node:fs';
import type { Intensity } from '../../linker/index.js';
import { bootImage } from '../boot.js';
import { DebugSession } from '../debugger/index.js';
import { runConsole } from '../debugger/console/console.js';
import { GdbServer } from '../debugger/gdb/server.js';
import { UsageError } from './usage-error.js';

export interface DebugCommandOptions {
  readonly quantum: number;
  readonly maxInstructions: number;
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly script?: string;
  readonly gdb?: number;
}

/**
 * `clustervm debug`: boots the image stopped before its first instruction and hands it
 * to the console (stdin, or --script FILE) or, with --gdb PORT, to a gdb.
 */
export async function debugCommand(imagePath: string, options: DebugCommandOptions): Promise<number> {
  const cluster = await bootImage(imagePath, {
    maxInstructions: options.maxInstructions,
    console: (line) => process.stdout.write(`${line}\n`),
  }, { bind: options.bind });
  try {
    const session = new DebugSession(cluster, options.quantum);
    if (options.gdb !== undefined) {
      const server = await GdbServer.listen(session, options.gdb);
      process.stderr.write(`clustervm: gdb remote stub on 127.0.0.1:${server.port}\n`);
      await server.closed;
      return 0;
    }
    let input: NodeJS.ReadableStream = process.stdin;
    if (options.script) {
      const stream = createReadStream(options.script);
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', () => reject(new UsageError(`--script ${options.script}: cannot read the file`)));
      });
      input = stream;
    }
    return await runConsole(session, input, process.stdout, { interactive: !options.script && Boolean(process.stdin.isTTY) });
  } finally {
    cluster.close();
  }
}
