import { closeSync, openSync, readSync } from 'node:fs';

/** An image file is JSON of a few KiB; past this it is not an image (say, /dev/zero). */
export const MAX_IMAGE_BYTES = 1 << 20;
/** A program or module source; keystone takes far less, but reading stops here. */
export const MAX_SOURCE_BYTES = 4 << 20;

export type BoundedRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'error'; readonly code: string };

/**
 * Reads a file as UTF-8, but never more than `limit` bytes: a device or a FIFO that
 * never ends, or a huge file, is refused after limit + 1 bytes.
 */
export function readBounded(path: string, limit: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { kind: 'error', code: String((error as NodeJS.ErrnoException).code) };
  }
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limit) return { kind: 'too-large' };
    return { kind: 'text', text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { kind: 'error', code: String((error as NodeJS.ErrnoException).code) };
  } finally {
    closeSync(fd);
  }
}
