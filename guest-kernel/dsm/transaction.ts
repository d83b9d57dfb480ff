/** One core's transaction: the pages it read and wrote, and the bytes it touched in each. */
export class Transaction {
  readonly readSet = new Set<number>();
  readonly writeSet = new Set<number>();
  /** Per page, a byte map of what the transaction accessed: tells true from false sharing. */
  private readonly accessed = new Map<number, Uint8Array>();

  constructor(readonly startTime: number) {}

  touch(page: number, offset: number, size: number, write: boolean, pageBytes: number): void {
    (write ? this.writeSet : this.readSet).add(page);
    let bytes = this.accessed.get(page);
    if (!bytes) this.accessed.set(page, bytes = new Uint8Array(pageBytes));
    bytes.fill(1, Math.max(0, offset), Math.min(pageBytes, offset + size));
  }

  touches(page: number): boolean {
    return this.readSet.has(page) || this.writeSet.has(page);
  }

  /** Whether bytes another commit changed (1 in `changed`) are bytes this transaction used. */
  overlaps(page: number, changed: Uint8Array): boolean {
    const bytes = this.accessed.get(page);
    return bytes !== undefined && changed.some((flag, i) => flag === 1 && bytes[i] === 1);
  }
}
