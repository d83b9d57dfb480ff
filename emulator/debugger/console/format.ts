import type { CoreRef } from '../session.js';

/** `0x` and lower-case hex digits, zero-padded to `digits`. */
export function hex(value: number | bigint, digits = 0): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

export function coreName(ref: CoreRef): string {
  return `n${ref.node}.c${ref.core}`;
}

/** Bytes as printable ASCII, a dot for anything else (hex dump columns). */
export function ascii(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
}
