// Incremental snapshots, as Plurix's PageServer saves heap images: a checkpoint stores
// only the pages that changed since the one before it. The state is walked as a tree;
// a byte array at least a page long whose counterpart in the base has the same length
// becomes {"$delta": {pages, data}}: the numbers of the 4 KiB pages that differ and
// their new bytes back to back (node RAM, DSM copies and page tables are such arrays).
// Everything else is stored whole: it is small.

const PAGE_BYTES = 4096;

interface PageDelta {
  readonly pages: readonly number[];
  readonly data: Uint8Array;
}

function pagesChanged(base: Uint8Array, current: Uint8Array): PageDelta {
  const pages: number[] = [];
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < current.length; offset += PAGE_BYTES) {
    const end = Math.min(offset + PAGE_BYTES, current.length);
    const page = current.subarray(offset, end);
    if (!Buffer.from(page.buffer, page.byteOffset, page.length).equals(base.subarray(offset, end))) {
      pages.push(offset / PAGE_BYTES);
      chunks.push(page);
    }
  }
  return { pages, data: Uint8Array.from(Buffer.concat(chunks)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** `current` as changes to `base`: the pages of large byte arrays that differ, the rest whole. */
export function diffState(base: unknown, current: unknown): unknown {
  if (current instanceof Uint8Array) {
    const comparable = base instanceof Uint8Array && base.length === current.length && current.length >= PAGE_BYTES;
    return comparable ? { $delta: pagesChanged(base, current) } : current;
  }
  if (Array.isArray(current)) return current.map((item, i) => diffState(Array.isArray(base) ? base[i] : undefined, item));
  if (isRecord(current)) {
    return Object.fromEntries(Object.entries(current).map(([key, item]) => [key, diffState(isRecord(base) ? base[key] : undefined, item)]));
  }
  return current;
}

/** The state a diff of `base` stands for. */
export function applyDelta(base: unknown, delta: unknown): unknown {
  if (isRecord(delta) && isRecord(delta.$delta)) {
    const { pages, data } = delta.$delta as unknown as PageDelta;
    if (!(base instanceof Uint8Array)) throw new Error('a page delta without the byte array it changes');
    const out = Uint8Array.from(base);
    pages.forEach((page, i) => {
      const begin = page * PAGE_BYTES;
      out.set(data.subarray(i * PAGE_BYTES, i * PAGE_BYTES + Math.min(PAGE_BYTES, out.length - begin)), begin);
    });
    return out;
  }
  if (Array.isArray(delta)) return delta.map((item, i) => applyDelta(Array.isArray(base) ? base[i] : undefined, item));
  if (isRecord(delta)) {
    return Object.fromEntries(Object.entries(delta).map(([key, item]) => [key, applyDelta(isRecord(base) ? base[key] : undefined, item)]));
  }
  return delta;
}
