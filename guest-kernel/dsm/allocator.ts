import { heapStart, type DsmConfig } from './dsm-config.js';

/** Pages a node takes at once for its small objects, and the read-only allocator likewise. */
const CHUNK_PAGES = 4;

export class DsmOutOfMemory extends Error {}

/**
 * Plurix's two-level allocation against false sharing: objects under a page come from
 * chunks private to the allocating node (two nodes' objects never share a page), objects
 * of a page or more are whole pages from the central manager, and read-only data has
 * chunks of its own.
 */
export class DsmAllocator {
  private nextPage: number;
  private readonly end: number;
  private readonly chunks = new Map<string, { next: number; end: number }>();

  constructor(private readonly config: DsmConfig) {
    this.nextPage = heapStart(config);
    this.end = config.base + config.bytes;
  }

  saveState(): { readonly nextPage: number; readonly chunks: readonly (readonly [string, { next: number; end: number }])[] } {
    return { nextPage: this.nextPage, chunks: [...this.chunks].map(([key, chunk]) => [key, { ...chunk }]) };
  }

  loadState(state: { readonly nextPage: number; readonly chunks: readonly (readonly [string, { next: number; end: number }])[] }): void {
    this.nextPage = state.nextPage;
    this.chunks.clear();
    for (const [key, chunk] of state.chunks) this.chunks.set(key, { ...chunk });
  }

  allocate(node: number, bytes: number, readOnly: boolean): number {
    const size = Math.max(1, bytes);
    if (size >= this.config.pageBytes && !readOnly) return this.pages(Math.ceil(size / this.config.pageBytes));
    const key = readOnly ? 'ro' : `node${node}`;
    const aligned = Math.ceil(size / 8) * 8;
    let chunk = this.chunks.get(key);
    if (!chunk || chunk.next + aligned > chunk.end) {
      const pages = Math.max(CHUNK_PAGES, Math.ceil(aligned / this.config.pageBytes));
      const start = this.pages(pages);
      chunk = { next: start, end: start + pages * this.config.pageBytes };
      this.chunks.set(key, chunk);
    }
    const address = chunk.next;
    chunk.next += aligned;
    return address;
  }

  private pages(count: number): number {
    const address = this.nextPage;
    if (address + count * this.config.pageBytes > this.end) {
      throw new DsmOutOfMemory(`DSM heap exhausted (${this.config.bytes >> 10} KiB region)`);
    }
    this.nextPage += count * this.config.pageBytes;
    return address;
  }
}
