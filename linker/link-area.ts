import { LinkError } from './link-error.js';
import type { CodeRange } from './link-memory.js';

/** Fixed-size slots for trampolines and stubs, handed out once and never moved. */
export class LinkArea {
  private next: number;

  constructor(private readonly range: CodeRange) {
    this.next = range.address;
  }

  /** Where the next slot goes: all the area's state. */
  get nextFree(): number {
    return this.next;
  }

  set nextFree(address: number) {
    this.next = address;
  }

  allocate(bytes: number, what: string): number {
    // 8-byte slots keep SPARC words and x86-64 literals aligned.
    const size = Math.ceil(bytes / 8) * 8;
    if (this.next + size > this.range.address + this.range.length) {
      throw new LinkError(`link area full (${this.range.length} bytes) while placing ${what}`);
    }
    const address = this.next;
    this.next += size;
    return address;
  }
}
