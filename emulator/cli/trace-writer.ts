import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from './usage-error.js';

const FLUSH_BYTES = 1 << 16;

/** Writes one line per executed basic block: `n<node>.c<core> 0x<pc>`. */
export class TraceWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private pendingBytes = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new UsageError(`--trace: cannot create ${path} (${(error as NodeJS.ErrnoException).code})`);
    }
  }

  block(nodeId: number, coreId: number, pc: number): void {
    const line = `n${nodeId}.c${coreId} 0x${pc.toString(16).padStart(8, '0')}\n`;
    this.chunks.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
