import type { ChangeTicket, CodeChange, LinkMemory } from './link-memory.js';

const NO_CORES: ChangeTicket = { done: true, pendingCores: [] };

/** Link memory with no cores behind it: for planning a link without booting a node. */
export class BufferLinkMemory implements LinkMemory {
  private readonly bytes: Uint8Array;

  constructor(private readonly base: number, size: number) {
    this.bytes = new Uint8Array(size);
  }

  read(address: number, length: number): Uint8Array {
    return this.bytes.slice(address - this.base, address - this.base + length);
  }

  write(address: number, bytes: Uint8Array): void {
    this.bytes.set(bytes, address - this.base);
  }

  publish(_change: CodeChange): ChangeTicket {
    return NO_CORES;
  }
}
