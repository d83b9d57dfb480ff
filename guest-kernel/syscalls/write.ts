import type { Dsm } from './dsm/dsm.js';
import type { GuestCore, TrapOutcome } from './guest-core.js';

/**
 * Longest console write served in one SYS_WRITE. A longer one writes this many bytes
 * and returns the count, as a short write: the caller loops on the rest.
 */
export const MAX_WRITE_BYTES = 1 << 20;

/**
 * SYS_WRITE of `requested` bytes at `address`. A buffer in the DSM is read as the
 * guest's own loads read it: pages the node does not hold fault in (the core sleeps the
 * round trip and the syscall runs again), and inside a transaction they join its read set.
 * Returns the outcome, and the bytes written when the core goes on.
 */
export function serveWrite(core: GuestCore, dsm: Dsm | undefined, address: number, requested: bigint):
    { outcome: TrapOutcome; written?: number } {
  const length = Number(requested < BigInt(MAX_WRITE_BYTES) ? requested : BigInt(MAX_WRITE_BYTES));
  const shared = dsm ? sharedPart(dsm, address, length) : undefined;
  if (dsm && shared) {
    const waiting = dsm.access(core, shared.address, shared.length, false);
    if (waiting?.action === 'sleep') return { outcome: { ...waiting, retry: true } };
    if (waiting) return { outcome: waiting };
  }
  let bytes: Uint8Array;
  try {
    bytes = core.readMemory(address, length);
  } catch {
    return { outcome: { action: 'fault', reason: `write syscall: buffer 0x${address.toString(16)}+${length} is not readable` } };
  }
  core.writeConsole(bytes);
  return { outcome: { action: 'resume' }, written: length };
}

/** The part of [address, address + length) inside the DSM region, if any. */
function sharedPart(dsm: Dsm, address: number, length: number): { address: number; length: number } | undefined {
  const start = Math.max(address, dsm.config.base);
  const end = Math.min(address + length, dsm.config.base + dsm.config.bytes);
  return start < end ? { address: start, length: end - start } : undefined;
}
