import { ascii, hex } from './format.js';

const LINE_BYTES = 16;

function addressColumn(address: number): string {
  return hex(address, address > 0xffff_ffff ? 16 : 8);
}

/** Classic hex dump: 16 bytes a line, then their ASCII. */
export function hexDump(address: number, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += LINE_BYTES) {
    const chunk = bytes.subarray(offset, offset + LINE_BYTES);
    const cells = Array.from({ length: LINE_BYTES }, (_, i) => (i < chunk.length ? chunk[i]!.toString(16).padStart(2, '0') : '  '));
    const hexColumn = `${cells.slice(0, 8).join(' ')}  ${cells.slice(8).join(' ')}`;
    lines.push(`${addressColumn(address + offset)}  ${hexColumn}  |${ascii(chunk)}|`);
  }
  return lines;
}

export type UnitBytes = 1 | 2 | 4 | 8;
/** x: hex, d: signed decimal, u: unsigned decimal. */
export type NumberFormat = 'x' | 'd' | 'u';

function readUnit(view: DataView, at: number, unit: UnitBytes, littleEndian: boolean, signed: boolean): bigint {
  switch (unit) {
    case 1: return BigInt(signed ? view.getInt8(at) : view.getUint8(at));
    case 2: return BigInt(signed ? view.getInt16(at, littleEndian) : view.getUint16(at, littleEndian));
    case 4: return BigInt(signed ? view.getInt32(at, littleEndian) : view.getUint32(at, littleEndian));
    case 8: return signed ? view.getBigInt64(at, littleEndian) : view.getBigUint64(at, littleEndian);
  }
}

/** Characters one value takes in a format: the widest value of the unit. */
function cellWidth(unit: UnitBytes, format: NumberFormat): number {
  if (format === 'x') return unit * 2 + 2;
  const widest = format === 'u' ? (1n << BigInt(unit * 8)) - 1n : -(1n << BigInt(unit * 8 - 1));
  return widest.toString().length;
}

/**
 * Values of `unit` bytes in the guest's byte order, 16 bytes a line, then their ASCII;
 * in hex (word-wide, as the registers are) or in decimal, right-aligned.
 */
export function unitDump(address: number, bytes: Uint8Array, unit: UnitBytes, littleEndian: boolean, format: NumberFormat): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = cellWidth(unit, format);
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += LINE_BYTES) {
    const cells: string[] = [];
    for (let at = offset; at < Math.min(offset + LINE_BYTES, bytes.length); at += unit) {
      const value = readUnit(view, at, unit, littleEndian, format === 'd');
      cells.push(format === 'x' ? hex(value, unit * 2) : value.toString().padStart(width));
    }
    const columns = (LINE_BYTES / unit) * (width + 1) - 1;
    lines.push(`${addressColumn(address + offset)}:  ${cells.join(' ').padEnd(columns)}  |${ascii(bytes.subarray(offset, offset + LINE_BYTES))}|`);
  }
  return lines;
}

/** A C string's bytes as a quoted literal with escapes. */
export function quoted(bytes: Uint8Array): string {
  const escapes: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' };
  return `"${Array.from(bytes, (byte) => escapes[byte]
    ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('')}"`;
}
