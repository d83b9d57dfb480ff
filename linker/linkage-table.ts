import { ISAS, type IsaName } from '../isa/index.js';
import { LinkError } from './link-error.js';
import type { LinkMemory } from './link-memory.js';
import { MAX_TABLE_ENTRIES, TABLE_ENTRY_BYTES, TABLE_FIELDS, TABLE_TARGET_BYTES } from './mediator/mediator-abi.js';

export interface TableEntry {
  readonly index: number;
  readonly caller: string;
  readonly symbol: string;
}

/**
 * The mediator's linkage table in guest memory: one entry per (calling module, symbol),
 * so the mediator can count and refuse calls per caller.
 */
export class LinkageTable {
  private readonly entries: TableEntry[] = [];
  private readonly byKey = new Map<string, TableEntry>();
  private readonly little: boolean;

  constructor(private readonly isa: IsaName, private readonly memory: LinkMemory,
              readonly address: number, private readonly capacity: number) {
    if (capacity > MAX_TABLE_ENTRIES) {
      throw new LinkError(`a linkage table of ${capacity} entries: stubs index at most ${MAX_TABLE_ENTRIES}`);
    }
    this.little = ISAS[isa].littleEndian;
  }

  entry(caller: string, symbol: string): TableEntry {
    const key = `${caller}\u0000${symbol}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      if (this.entries.length >= this.capacity) {
        throw new LinkError(`linkage table full: ${this.capacity} (caller, symbol) entries`);
      }
      entry = { index: this.entries.length, caller, symbol };
      this.entries.push(entry);
      this.byKey.set(key, entry);
      this.write(entry, TABLE_FIELDS.count, 0);
    }
    return entry;
  }

  /** The entries in index order: their counts, targets and permissions live in guest memory. */
  saveState(): TableEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  loadState(entries: readonly TableEntry[]): void {
    this.entries.length = 0;
    this.byKey.clear();
    for (const entry of entries) {
      this.entries.push({ ...entry });
      this.byKey.set(`${entry.caller}\u0000${entry.symbol}`, this.entries[this.entries.length - 1]!);
    }
  }

  byIndex(index: number): TableEntry | undefined {
    return this.entries[index];
  }

  all(): readonly TableEntry[] {
    return this.entries;
  }

  setTarget(entry: TableEntry, target: number): void {
    if (TABLE_TARGET_BYTES[this.isa] === 8) {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(target), this.little);
      this.memory.write(this.fieldAddress(entry, TABLE_FIELDS.target), bytes);
    } else {
      this.write(entry, TABLE_FIELDS.target, target);
    }
  }

  target(entry: TableEntry): number {
    return this.read(entry, TABLE_FIELDS.target);
  }

  setAllowed(entry: TableEntry, allowed: boolean): void {
    this.write(entry, TABLE_FIELDS.allowed, allowed ? 1 : 0);
  }

  calls(entry: TableEntry): number {
    return this.read(entry, TABLE_FIELDS.count);
  }

  /** Counts one call the mediator's guest code did not (a call that took the fail-safe path). */
  countCall(entry: TableEntry): void {
    this.write(entry, TABLE_FIELDS.count, this.calls(entry) + 1);
  }

  private fieldAddress(entry: TableEntry, field: number): number {
    return this.address + entry.index * TABLE_ENTRY_BYTES + field;
  }

  private write(entry: TableEntry, field: number, value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, this.little);
    this.memory.write(this.fieldAddress(entry, field), bytes);
  }

  private read(entry: TableEntry, field: number): number {
    const bytes = this.memory.read(this.fieldAddress(entry, field), 4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, this.little);
  }
}
