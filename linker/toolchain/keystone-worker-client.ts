import { once } from 'node:events';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { IsaName } from '../../isa/index.js';
import { ASSEMBLER_DIALECTS } from './assembler-dialect.js';

/** Keystone's answer to one source. */
export interface KeystoneOutput {
  readonly bytes: Uint8Array;
  readonly failed: boolean;
  /** Keystone's error text when `failed`. */
  readonly reason: string;
}

/** Keystone trapped, ran out of time or died: its thread is gone and the next call gets a new one. */
export class KeystoneFailure extends Error {
  override readonly name = 'KeystoneFailure';
}

export interface KeystoneLimits {
  /** Longest one assembly may take before its thread is ended. */
  readonly timeoutMs: number;
  /** Longest a new thread may take to load keystone, on top of the first assembly's time. */
  readonly startupMs: number;
  /** JavaScript heap of the thread (keystone's own WebAssembly memory stops at 2 GiB). */
  readonly heapMiB: number;
}

/**
 * The bound is wall time, so it must hold on a loaded machine too: on 2 cores busy with
 * a dozen processes a mediator that assembles in milliseconds once took over 20 s. What
 * keystone is known to hang on is refused before it runs; this only ends the unknown.
 */
export const DEFAULT_KEYSTONE_LIMITS: KeystoneLimits = { timeoutMs: 60_000, startupMs: 60_000, heapMiB: 256 };

const WORKER_URL = new URL('./keystone-worker.mjs', import.meta.url);

interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  started: boolean;
}

/**
 * Keystone in a worker thread behind a synchronous call: the host posts the source and
 * blocks in Atomics.wait until the worker answers or the time bound passes. A trap,
 * a timeout or a dead worker ends that worker; the next call starts a fresh one.
 */
export class KeystoneWorker {
  private thread: Thread | undefined;

  constructor(private readonly limits: KeystoneLimits = DEFAULT_KEYSTONE_LIMITS) {}

  /** Starts the thread and waits, without blocking, until keystone is loaded in it. */
  async start(): Promise<void> {
    const thread = this.thread ??= this.spawn();
    const [message] = await once(thread.worker, 'message') as unknown[];
    if (message !== 'ready') throw new KeystoneFailure('keystone did not start');
    thread.started = true;
  }

  assemble(isa: IsaName, source: string, address: number | bigint): KeystoneOutput {
    const thread = this.thread ??= this.spawn();
    Atomics.store(thread.signal, 0, 0);
    const { keystoneArch: arch, keystoneMode: mode } = ASSEMBLER_DIALECTS[isa];
    thread.port.postMessage({ arch, mode, source, address });
    const bound = this.limits.timeoutMs + (thread.started ? 0 : this.limits.startupMs);
    const deadline = performance.now() + bound;
    const waited = Atomics.wait(thread.signal, 0, 0, bound);
    const receive = () => receiveMessageOnPort(thread.port)?.message as Partial<KeystoneOutput & { crash: string }> | undefined;
    let reply = receive();
    // The worker posts its answer before it raises the signal, yet twice in loaded test
    // runs a call failed well within its bound, as if the wake came before the answer
    // could be read: look again, a millisecond apart, until the bound.
    while (reply === undefined && waited !== 'timed-out' && performance.now() < deadline) {
      Atomics.wait(thread.signal, 0, 1, 1);
      reply = receive();
    }
    if (waited === 'timed-out' || reply === undefined) {
      this.stop();
      throw new KeystoneFailure(`keystone did not finish within ${this.limits.timeoutMs / 1000} s`);
    }
    if (reply.crash !== undefined) {
      this.stop();
      throw new KeystoneFailure(`keystone failed (${reply.crash})`);
    }
    thread.started = true;
    return { bytes: reply.bytes ?? new Uint8Array(0), failed: reply.failed ?? true, reason: reply.reason ?? '' };
  }

  /** Ends the worker thread (a later call starts another). */
  stop(): void {
    if (!this.thread) return;
    void this.thread.worker.terminate();
    this.thread.port.close();
    this.thread = undefined;
  }

  private spawn(): Thread {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_URL, {
      workerData: { port: port2, signal },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMiB },
    });
    // Neither the worker nor its port keeps the host alive, and a worker that dies
    // (out of memory) only fails the call waiting on it.
    worker.unref();
    port1.unref();
    worker.on('error', () => {});
    return { worker, port: port1, signal, started: false };
  }
}
