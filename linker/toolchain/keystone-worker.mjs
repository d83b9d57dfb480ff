// Keystone runs here, in a worker thread, so that a WebAssembly trap, an endless loop or
// a runaway allocation inside keystone ends this thread and never the host. The host
// waits on `signal` (see keystone-worker-client.ts); every request is answered by one
// message on `port`, then `signal[0]` is set and notified. Plain JavaScript: a worker
// does not inherit the TypeScript loader of its parent (tsx, vitest).
import { parentPort, workerData } from 'node:worker_threads';
import MKeystone from '@alexaltea/keystone-js';

const { port, signal } = workerData;
// Keystone's own diagnostics ("error: ...", emscripten's "Aborted(...)") would reach the
// host's stderr; every failure is reported through the answer instead.
const ks = await MKeystone({ print: () => {}, printErr: () => {} });
const engines = new Map();

// One engine per (arch, mode) pair, as assembler-dialect.ts names them for each ISA.
function engine(arch, mode) {
  const key = `${arch}:${mode}`;
  let found = engines.get(key);
  if (!found) {
    found = new ks.Keystone(arch, mode);
    engines.set(key, found);
  }
  return found;
}

function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

parentPort.postMessage('ready');
port.on('message', ({ arch, mode, source, address }) => {
  try {
    const assembler = engine(arch, mode);
    const result = assembler.asm(source, address);
    answer({ bytes: result.mc, failed: result.failed, reason: result.failed ? ks.strerror(assembler.errno()) : '' });
  } catch (error) {
    // Keystone's state is unknown after a trap: report it; the host replaces this thread.
    answer({ crash: error instanceof Error ? error.message : String(error) });
  }
});
