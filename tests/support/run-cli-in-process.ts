// The CLI's own entry, main(argv) of emulator/cli/main.ts, called in this process: the
// same option parsing, loader, run and reports as `clustervm`, without the 1-2 s of a
// Node and tsx start-up (and the supervisor's second process) that runCli pays per call.
// What main writes to stdout and stderr during the call is collected, as runCli collects
// a child's pipes, into the same CliResult. The process boundary itself (the supervisor,
// the exit code a shell sees, no stack trace when something throws) is runCli's: a suite
// that reads the CLI here keeps at least one runCli check of the same command beside it.
import { main } from '../../emulator/cli/main.js';
import { CLI, type CliResult } from './run-cli.js';

type Write = (chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => boolean;

/** Calls are run one after another: the streams' write is this process's, shared by every test. */
let previous: Promise<unknown> = Promise.resolve();

/** Runs `clustervm args` in this process; resolves with its exit code and what it printed. */
export function runCliInProcess(args: readonly string[]): Promise<CliResult> {
  const call = previous.then(() => callMain(args));
  previous = call.catch(() => undefined);
  return call;
}

/** Replaces `stream.write` with a collector; returns the collected bytes and the way back. */
function collect(stream: NodeJS.WriteStream): { chunks: Buffer[]; restore: () => void } {
  const chunks: Buffer[] = [];
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const write: Write = (chunk, encodingOrCallback, callback) => {
    chunks.push(typeof chunk === 'string'
      ? Buffer.from(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback as BufferEncoding : 'utf8')
      : Buffer.from(chunk));
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  Object.defineProperty(stream, 'write', { value: write, configurable: true, writable: true });
  return {
    chunks,
    restore: () => {
      if (own) Object.defineProperty(stream, 'write', own);
      else Reflect.deleteProperty(stream, 'write');
    },
  };
}

async function callMain(args: readonly string[]): Promise<CliResult> {
  // main() listens for EPIPE on stdout, as the process it normally runs in ends with it;
  // here the listener it adds is taken away again after the call.
  const errorListeners = new Set(process.stdout.listeners('error'));
  const out = collect(process.stdout);
  const err = collect(process.stderr);
  let code: number;
  try {
    code = await main([process.execPath, CLI, ...args]);
  } finally {
    out.restore();
    err.restore();
    for (const listener of process.stdout.listeners('error')) {
      if (!errorListeners.has(listener)) process.stdout.off('error', listener);
    }
  }
  return {
    code, signal: null,
    stdout: Buffer.concat(out.chunks).toString('utf8'),
    stderr: Buffer.concat(err.chunks).toString('utf8'),
  };
}
