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

/** Words in the guest's byte order, 16 bytes a line, then their ASCII. */
export function wordDump(address: number, bytes: Uint8Array, wordBytes: 4 | 8, littleEndian: boolean): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += LINE_BYTES) {
    const words: string[] = [];
    for (let at = offset; at < Math.min(offset + LINE_BYTES, bytes.length); at += wordBytes) {
      const value = wordBytes === 8 ? view.getBigUint64(at, littleEndian) : view.getUint32(at, littleEndian);
      words.push(hex(value, wordBytes * 2));
    }
    const width = (LINE_BYTES / wordBytes) * (wordBytes * 2 + 3) - 1;
    lines.push(`${addressColumn(address + offset)}:  ${words.join(' ').padEnd(width)}  |${ascii(bytes.subarray(offset, offset + LINE_BYTES))}|`);
  }
  return lines;
}

/** A C string's bytes as a quoted literal with escapes. */
export function quoted(bytes: Uint8Array): string {
  const escapes: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' };
  return `"${Array.from(bytes, (byte) => escapes[byte]
    ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('')}"`;
}
