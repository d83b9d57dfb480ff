import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { SnapshotError } from './snapshot-error.js';

// A snapshot file, written atomically and checked whole before anything in it is used.
//
//   offset  bytes  field
//   0       8      magic "CVMSNAP\n"
//   8       4      format version, u32 little-endian (SNAPSHOT_VERSION)
//   12      4      zero
//   16      8      body length, u64 little-endian
//   24      32     SHA-256 of the body
//   56      ...    body: raw deflate (level 1) of a u32 little-endian length, that much
//                  JSON (UTF-8), then the blobs
//
// Deflate because most of a cluster's RAM and DSM copies are zeros: dsm-counter's
// snapshot is 55 MB raw and a few hundred KB deflated, at level 1 in tens of ms.
// The JSON is the state as plain data. A byte array in it is stored as a reference
// {"$bytes": [offset, length]} into the blob area that follows the JSON, so RAM and
// DSM pages go to disk raw; a bigint (a 64-bit register) is {"$bigint": "decimal"}.

const MAGIC = Buffer.from('CVMSNAP\n', 'latin1');
/** Raised whenever the layout or the meaning of a field changes; an older file is refused. */
const SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 56;

function encodeValue(value: unknown, blobs: Uint8Array[], offset: { at: number }): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) {
    const reference = { $bytes: [offset.at, value.length] };
    blobs.push(value);
    offset.at += value.length;
    return reference;
  }
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, blobs, offset));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encodeValue(item, blobs, offset)]));
  }
  return value;
}

function decodeValue(value: unknown, blobArea: Uint8Array): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeValue(item, blobArea));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$bigint === 'string') return BigInt(record.$bigint);
  if (Array.isArray(record.$bytes)) {
    const [at, length] = record.$bytes as [number, number];
    return Uint8Array.from(blobArea.subarray(at, at + length));
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, decodeValue(item, blobArea)]));
}

/** The file's bytes for a state of plain data, byte arrays and bigints. */
export function encodeSnapshot(state: unknown): Buffer {
  const blobs: Uint8Array[] = [];
  const json = Buffer.from(JSON.stringify(encodeValue(state, blobs, { at: 0 })), 'utf8');
  const jsonLength = Buffer.alloc(4);
  jsonLength.writeUInt32LE(json.length);
  const body = deflateRawSync(Buffer.concat([jsonLength, json, ...blobs]), { level: 1 });
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(SNAPSHOT_VERSION, 8);
  header.writeBigUInt64LE(BigInt(body.length), 16);
  createHash('sha256').update(body).digest().copy(header, 24);
  return Buffer.concat([header, body]);
}

/** The state in a snapshot file's bytes; a SnapshotError naming `file` when they are not one whole. */
export function decodeSnapshot(bytes: Uint8Array, file: string): unknown {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < HEADER_BYTES || !data.subarray(0, 8).equals(MAGIC)) throw new SnapshotError(`${file}: not a clustervm snapshot`);
  const version = data.readUInt32LE(8);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(`${file}: snapshot format ${version}; this clustervm reads format ${SNAPSHOT_VERSION}`);
  }
  const bodyLength = Number(data.readBigUInt64LE(16));
  const body = data.subarray(HEADER_BYTES);
  if (body.length !== bodyLength) {
    throw new SnapshotError(`${file}: truncated or padded: the header promises ${bodyLength} bytes of state, the file holds ${body.length}`);
  }
  if (!createHash('sha256').update(body).digest().equals(data.subarray(24, HEADER_BYTES))) {
    throw new SnapshotError(`${file}: checksum mismatch: the snapshot is corrupted`);
  }
  let state: Buffer;
  try {
    state = inflateRawSync(body);
  } catch {
    throw new SnapshotError(`${file}: the state does not inflate: the snapshot is corrupted`);
  }
  const jsonLength = state.readUInt32LE(0);
  const json = state.subarray(4, 4 + jsonLength).toString('utf8');
  return decodeValue(JSON.parse(json), state.subarray(4 + jsonLength));
}

/**
 * Writes the snapshot so that a crash at any moment leaves either no file or a whole one:
 * into a temporary file beside it, flushed to disk, then renamed over the name (atomic
 * within a directory), and the directory flushed so the rename itself survives.
 */
export function writeSnapshot(path: string, state: unknown): number {
  const bytes = encodeSnapshot(state);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new SnapshotError(`${path}: cannot write the snapshot (${code})`);
  }
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
  return bytes.length;
}

export function readSnapshot(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(`${path}: cannot read the snapshot (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`);
  }
  return decodeSnapshot(bytes, path);
}
