import type { DebugSession, Watchpoint } from '../session.js';

/** Z packet types this stub serves: 0 software breakpoint, 2 write, 3 read, 4 access watchpoint. */
export type PointType = 0 | 2 | 3 | 4;

const ACCESS: Readonly<Record<Exclude<PointType, 0>, Watchpoint['access']>> = { 2: 'write', 3: 'read', 4: 'access' };

/** The stop-reply key gdb expects for each watchpoint kind. */
const STOP_KEY: Readonly<Record<Watchpoint['access'], string>> = { write: 'watch', read: 'rwatch', access: 'awatch' };

interface Inserted {
  readonly ids: readonly number[];
  readonly node: number;
}

/**
 * gdb's breakpoints and watchpoints over the session's. gdb inserts them per process,
 * so each one becomes a session breakpoint or watchpoint on every core of the node.
 */
export class GdbPoints {
  private readonly inserted = new Map<string, Inserted>();
  private readonly watchKeys = new Map<number, { readonly key: string; readonly address: number }>();

  constructor(private readonly session: DebugSession) {}

  private key(type: PointType, node: number, address: number, length: number): string {
    return `${type}:${node}:${address}:${type === 0 ? 0 : length}`;
  }

  /** Inserting one that is already in is a no-op, as gdb may insert again after a reconnect. */
  insert(type: PointType, node: number, address: number, length: number): void {
    const key = this.key(type, node, address, length);
    if (this.inserted.has(key)) return;
    const cores = this.session.cluster.nodes[node]!.cores.map((core) => ({ node, core: core.coreId }));
    const ids = cores.map((scope) => type === 0
      ? this.session.addBreakpoint(address, scope).id
      : this.session.addWatchpoint(address, length, ACCESS[type], scope).id);
    if (type !== 0) for (const id of ids) this.watchKeys.set(id, { key: STOP_KEY[ACCESS[type]], address });
    this.inserted.set(key, { ids, node });
  }

  /** False when gdb removes one it never inserted. */
  remove(type: PointType, node: number, address: number, length: number): boolean {
    const key = this.key(type, node, address, length);
    const entry = this.inserted.get(key);
    if (!entry) return false;
    this.drop(key, entry);
    return true;
  }

  removeNode(node: number): void {
    for (const [key, entry] of this.inserted) if (entry.node === node) this.drop(key, entry);
  }

  removeAll(): void {
    for (const [key, entry] of this.inserted) this.drop(key, entry);
  }

  /** `watch:ADDR;` (or rwatch, awatch) for a session watchpoint this table inserted. */
  watchDetails(id: number, accessed: number): string | undefined {
    const watch = this.watchKeys.get(id);
    // gdb matches the address against its watched range: a wider access may start below it.
    return watch && `${watch.key}:${Math.max(accessed, watch.address).toString(16)};`;
  }

  private drop(key: string, entry: Inserted): void {
    for (const id of entry.ids) {
      this.session.delete(id);
      this.watchKeys.delete(id);
    }
    this.inserted.delete(key);
  }
}
