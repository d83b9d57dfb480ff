import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from './usage-error.js';

const FLUSH_BYTES = 1 << 16;

/**
 * Writes one line per executed basic block: `n<node>.c<core> 0x<pc>`. It runs inside the
 * engines' block hooks, so it never throws there: a file that cannot be written (a full
 * disk) ends the trace, not the guests, and `failure` says why.
 */
export class TraceWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private pendingBytes = 0;
  private closed = false;
  /** Why writing stopped (an errno code), once it has. */
  failure: string | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new UsageError(`--trace: cannot create ${path} (${(error as NodeJS.ErrnoException).code})`);
    }
  }

  block(nodeId: number, coreId: number, pc: number): void {
    if (this.failure) return;
    const line = `n${nodeId}.c${coreId} 0x${pc.toString(16).padStart(8, '0')}\n`;
    this.chunks.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    const text = this.chunks.join('');
    this.chunks = [];
    this.pendingBytes = 0;
    if (this.failure || text === '') return;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      this.failure = (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    try {
      closeSync(this.fd);
    } catch (error) {
      this.failure ??= (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }
}
