/** Where the DSM lives and how it behaves: the image's `dsm` field. */
export interface DsmConfig {
  /** Same guest address on every node. */
  readonly base: number;
  readonly bytes: number;
  readonly pageBytes: number;
  /** How a node finds a page's owner: ask everyone (Plurix), or the page's home node. */
  readonly location: 'broadcast' | 'directory';
}

/** The first quarter of the region is static (programs address it directly); the allocators manage the rest. */
export function heapStart(config: DsmConfig): number {
  return config.base + Math.floor(config.bytes / 4 / config.pageBytes) * config.pageBytes;
}

export function pageCount(config: DsmConfig): number {
  return config.bytes / config.pageBytes;
}
