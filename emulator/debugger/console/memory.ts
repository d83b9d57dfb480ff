import type { Core } from '../../machine/index.js';
import { DebugError } from '../session.js';
import { hex } from './format.js';

/** Largest read one command may ask for: a typo must not allocate gigabytes. */
export const MAX_READ_BYTES = 0x10000;

/** Reads guest memory as `core` sees it (its own DSM copy), naming the range on failure. */
export function readMemory(core: Core, address: number, length: number): Uint8Array {
  try {
    // A copy: RAM reads are views of the live buffer, which the guest keeps writing.
    return Uint8Array.from(core.readMemory(address, length));
  } catch {
    throw new DebugError(`cannot read ${length} bytes at ${hex(address)}: not mapped on n${core.nodeId}.c${core.coreId}`);
  }
}

/** Reads up to `length` bytes, fewer where a mapping ends first (at least `minimum`). */
export function readUpTo(core: Core, address: number, length: number, minimum: number): Uint8Array {
  for (let size = length; size >= minimum; size = Math.max(minimum, size >> 1)) {
    try {
      return Uint8Array.from(core.readMemory(address, size));
    } catch {
      if (size === minimum) break;
    }
  }
  throw new DebugError(`cannot read memory at ${hex(address)}: not mapped on n${core.nodeId}.c${core.coreId}`);
}
