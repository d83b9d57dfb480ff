/** What happened to pages, per node and per page (boot summary and --json). */
export interface PageCounters {
  faults: number;
  requests: number;
  transfers: number;
  commits: number;
  abortsTrueSharing: number;
  abortsFalseSharing: number;
}

export type NodeCounters = PageCounters & { messages: number; restarts: number; recoveries: number };

function zero(): PageCounters {
  return { faults: 0, requests: 0, transfers: 0, commits: 0, abortsTrueSharing: 0, abortsFalseSharing: 0 };
}

export class DsmStats {
  readonly nodes: NodeCounters[];
  private readonly pages = new Map<number, PageCounters>();

  constructor(nodeCount: number) {
    this.nodes = Array.from({ length: nodeCount }, () => ({ ...zero(), messages: 0, restarts: 0, recoveries: 0 }));
  }

  saveState(): { readonly nodes: readonly NodeCounters[]; readonly pages: readonly (readonly [number, PageCounters])[] } {
    return { nodes: this.nodes.map((node) => ({ ...node })), pages: [...this.pages].map(([page, c]) => [page, { ...c }]) };
  }

  loadState(state: { readonly nodes: readonly NodeCounters[]; readonly pages: readonly (readonly [number, PageCounters])[] }): void {
    state.nodes.forEach((node, i) => Object.assign(this.nodes[i]!, node));
    this.pages.clear();
    for (const [page, counters] of state.pages) this.pages.set(page, { ...counters });
  }

  count(node: number, page: number, field: keyof PageCounters, by = 1): void {
    this.nodes[node]![field] += by;
    this.countPage(page, field, by);
  }

  /** Per page only: a commit or an abort counts once for its node, once for each page it hit. */
  countPage(page: number, field: keyof PageCounters, by = 1): void {
    let counters = this.pages.get(page);
    if (!counters) this.pages.set(page, counters = zero());
    counters[field] += by;
  }

  node(node: number): NodeCounters {
    return this.nodes[node]!;
  }

  /** Pages that saw any traffic, by page number. */
  pageTable(): [number, PageCounters][] {
    return [...this.pages].sort((a, b) => a[0] - b[0]);
  }
}
