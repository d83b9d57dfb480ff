/** Hex as the remote protocol writes it: lower-case pairs, numbers without a prefix. */

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes from hex pairs; undefined when the text is not whole, valid pairs. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** The text's UTF-8 bytes as hex (qThreadExtraInfo answers this way). */
export function textToHex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** A hex number that fits a JavaScript number exactly; undefined otherwise. */
export function parseHexNumber(text: string): number | undefined {
  if (!/^[0-9a-f]{1,16}$/i.test(text)) return undefined;
  const value = BigInt(`0x${text}`);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** `value` as `bytes` bytes in the target's byte order, truncated to that width. */
export function valueToBytes(value: bigint, bytes: number, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(bytes);
  let rest = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++) {
    out[littleEndian ? i : bytes - 1 - i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

export function bytesToValue(bytes: Uint8Array, littleEndian: boolean): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[littleEndian ? bytes.length - 1 - i : i]!);
  return value;
}
