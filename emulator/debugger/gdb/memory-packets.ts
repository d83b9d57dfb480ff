import type { Core } from '../../machine/index.js';
import { E_MALFORMED, E_MEMORY } from './errors.js';
import { fromHex, parseHexNumber, toHex } from './hex.js';
import type { GdbTarget } from './target.js';

/** The most an `m` reply carries: two hex digits a byte within the advertised packet size. */
const MAX_READ = 0x1000;

function parseRange(text: string): { address: number; length: number } | undefined {
  const parts = text.split(',');
  if (parts.length !== 2) return undefined;
  const address = parseHexNumber(parts[0]!);
  const length = parseHexNumber(parts[1]!);
  return address === undefined || length === undefined ? undefined : { address, length };
}

/** The readable prefix of a range: gdb takes a short read near the end of a mapping. */
function readPrefix(core: Core, address: number, length: number): Uint8Array {
  try {
    return core.readMemory(address, length);
  } catch {
    const bytes: number[] = [];
    try {
      while (bytes.length < length) bytes.push(core.readMemory(address + bytes.length, 1)[0]!);
    } catch {
      // The first byte that is not mapped ends the prefix.
    }
    return Uint8Array.from(bytes);
  }
}

/** `m ADDR,LEN` through the general thread's core, which sees its own DSM copy. */
export function readMemory(target: GdbTarget, text: string): string {
  const range = parseRange(text);
  if (!range) return E_MALFORMED;
  if (range.length === 0) return '';
  const bytes = readPrefix(target.core(), range.address, Math.min(range.length, MAX_READ));
  return bytes.length > 0 ? toHex(bytes) : E_MEMORY;
}

/**
 * `M ADDR,LEN:XX...` into the node's RAM, shared by its cores; every core drops its
 * translations of the range so patched code runs. The DSM region is the kernel's to
 * write (transactions track it), so it is refused.
 */
export function writeMemory(target: GdbTarget, text: string): string {
  const colon = text.indexOf(':');
  const range = colon < 0 ? undefined : parseRange(text.slice(0, colon));
  const bytes = colon < 0 ? undefined : fromHex(text.slice(colon + 1));
  if (!range || !bytes || bytes.length !== range.length) return E_MALFORMED;
  try {
    target.session.writeMemory(target.general.node, range.address, bytes);
  } catch {
    return E_MEMORY;
  }
  return 'OK';
}
