import type { Dsm } from '../dsm/dsm.js';
import type { GuestCore, TrapOutcome } from '../guest-core.js';
import { returns, type SyscallCall } from './syscall.js';

/**
 * Longest console write served in one SYS_WRITE. A longer one writes this many bytes
 * and returns the count, as a short write: the caller loops on the rest.
 */
export const MAX_WRITE_BYTES = 1 << 20;

/**
 * SYS_WRITE of `requested` bytes at `address`. A buffer in the DSM is read as the
 * guest's own loads read it: pages the node does not hold fault in (the core sleeps the
 * round trip and the syscall runs again), and inside a transaction they join its read set.
 * The result is the count of bytes written.
 */
export function sysWrite(call: SyscallCall): TrapOutcome {
  const [addressArgument, requested] = call.arguments;
  const address = Number(addressArgument);
  const length = Number(requested < BigInt(MAX_WRITE_BYTES) ? requested : BigInt(MAX_WRITE_BYTES));
  const waiting = call.dsm && faultInShared(call.core, call.dsm, address, length);
  if (waiting) return waiting;
  let bytes: Uint8Array;
  try {
    bytes = call.core.readMemory(address, length);
  } catch {
    return { action: 'fault', reason: `write syscall: buffer 0x${address.toString(16)}+${length} is not readable` };
  }
  call.core.writeConsole(bytes);
  return returns(call, BigInt(length));
}

/** How the core must wait for the buffer's DSM pages, if it must: a sleep runs the syscall again. */
function faultInShared(core: GuestCore, dsm: Dsm, address: number, length: number): TrapOutcome | undefined {
  const start = Math.max(address, dsm.config.base);
  const end = Math.min(address + length, dsm.config.base + dsm.config.bytes);
  if (start >= end) return undefined;
  const waiting = dsm.access(core, start, end - start, false);
  return waiting?.action === 'sleep' ? { ...waiting, retry: true } : waiting;
}
