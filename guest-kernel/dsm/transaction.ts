import type { CoreDsmMemory } from '../guest-core.js';
import { IN_READ_SET, IN_WRITE_SET } from './page-states.js';

/**
 * One core's transaction: the pages it read and wrote, and the bytes it touched in each
 * (a bit per byte in the core's shared `touched` map, which the C access check marks
 * too): the bytes tell true from false sharing.
 */
export class Transaction {
  readonly readSet = new Set<number>();
  readonly writeSet = new Set<number>();

  constructor(readonly startTime: number, private readonly memory: CoreDsmMemory, private readonly pageBytes: number) {}

  touch(page: number, offset: number, size: number, write: boolean): void {
    (write ? this.writeSet : this.readSet).add(page);
    this.memory.pageStates[page]! |= write ? IN_WRITE_SET : IN_READ_SET;
    const begin = page * this.pageBytes + Math.max(0, offset);
    const end = page * this.pageBytes + Math.min(this.pageBytes, offset + size);
    for (let byte = begin; byte < end; byte++) this.memory.touched[byte >> 3]! |= 1 << (byte & 7);
  }

  touches(page: number): boolean {
    return this.readSet.has(page) || this.writeSet.has(page);
  }

  /** Whether bytes another commit changed (1 in `changed`) are bytes this transaction used. */
  overlaps(page: number, changed: Uint8Array): boolean {
    const first = page * this.pageBytes;
    return changed.some((flag, i) => flag === 1 && (this.memory.touched[(first + i) >> 3]! & (1 << ((first + i) & 7))) !== 0);
  }

  /** Ends the transaction: its pages leave the sets and their touched bytes are forgotten. */
  close(): void {
    for (const page of new Set([...this.readSet, ...this.writeSet])) {
      this.memory.pageStates[page]! &= ~(IN_READ_SET | IN_WRITE_SET);
      this.memory.touched.fill(0, (page * this.pageBytes) >> 3, ((page + 1) * this.pageBytes) >> 3);
    }
    this.memory.setTransactionOpen(false);
  }
}
