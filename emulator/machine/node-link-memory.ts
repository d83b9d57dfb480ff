import type { ChangeTicket, CodeChange, LinkMemory } from '../../linker/index.js';
import type { Core } from './core.js';

/** Tracks which cores still run translations made before a change. */
class CoreAcknowledgements implements ChangeTicket {
  private readonly waiting: Set<number>;

  constructor(cores: readonly Core[]) {
    this.waiting = new Set(cores.map((core) => core.coreId));
  }

  acknowledge(coreId: number): void {
    this.waiting.delete(coreId);
  }

  get done(): boolean {
    return this.waiting.size === 0;
  }

  get pendingCores(): readonly number[] {
    return [...this.waiting];
  }
}

/**
 * The linker's window on a node: the RAM buffer every core maps, and a change protocol
 * that makes each core drop stale translations before it runs again (Unicorn does not
 * notice code written behind its back, tests/engine/engine.test.ts "keeps stale
 * translations until the range is invalidated"; README, "Re-linking while running").
 */
export class NodeLinkMemory implements LinkMemory {
  constructor(private readonly ram: Buffer, private readonly ramBase: number,
              private readonly cores: readonly Core[], private readonly onPublish?: (change: CodeChange) => void) {}

  private offset(address: number, length: number): number {
    const offset = address - this.ramBase;
    if (offset < 0 || offset + length > this.ram.length) {
      throw new RangeError(`link memory 0x${address.toString(16)}+${length} lies outside the node's RAM`);
    }
    return offset;
  }

  read(address: number, length: number): Uint8Array {
    const offset = this.offset(address, length);
    return Uint8Array.from(this.ram.subarray(offset, offset + length));
  }

  write(address: number, bytes: Uint8Array): void {
    this.ram.set(bytes, this.offset(address, bytes.length));
  }

  publish(change: CodeChange): ChangeTicket {
    const ticket = new CoreAcknowledgements(this.cores);
    for (const core of this.cores) core.takeCodeChange(change, () => ticket.acknowledge(core.coreId));
    this.onPublish?.(change);
    return ticket;
  }
}
