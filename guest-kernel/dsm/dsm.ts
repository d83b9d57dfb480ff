import { unreachable } from '../../isa/index.js';
import type { CoreDsmMemory, GuestCore, TrapOutcome } from '../guest-core.js';
import type { KernelHost } from '../kernel-host.js';
import { DsmAllocator } from './allocator.js';
import { pageCount, type DsmConfig } from './dsm-config.js';
import { DsmStats } from './dsm-stats.js';
import { Transaction } from './transaction.js';
import type { AbortCause, KernelEventSink } from '../kernel-events.js';
import { INVALID, READ, WRITTEN, setView, viewOf } from './page-states.js';

/** Bytes of a page request, a token message or a commit's header on the wire. */
const REQUEST_BYTES = 64;
/** Backoff after an abort: doubles per restart of the same transaction, up to 2^6 times. */
const BACKOFF_NS = 2_000;
const MAX_BACKOFF_DOUBLINGS = 6;

export interface OpenTransaction {
  readonly node: number;
  readonly core: number;
  /** Global time when it began. */
  readonly startTime: number;
  readonly restarts: number;
  readonly readSet: readonly number[];
  readonly writeSet: readonly number[];
}

/** The DSM as a snapshot keeps it; the cores' own copies and page tables are the machine's. */
export interface DsmState {
  readonly owner: readonly number[];
  readonly version: readonly number[];
  readonly nodes: readonly { readonly knownTime: number; readonly copies: readonly { page: number; version: number; data: Uint8Array }[] }[];
  readonly cores: readonly {
    readonly node: number; readonly core: number; readonly nested: number; readonly epoch: number; readonly restarts: number;
    readonly tx: { readonly startTime: number; readonly readSet: readonly number[]; readonly writeSet: readonly number[] } | null;
  }[];
  readonly log: readonly { time: number; pages: readonly number[] }[];
  readonly globalTime: number;
  readonly token: { readonly node: number; readonly freeAtNs: number };
  readonly stats: ReturnType<DsmStats['saveState']>;
  readonly allocator: ReturnType<DsmAllocator['saveState']>;
}

interface CoreDsm {
  readonly core: GuestCore;
  /** The core's copy of the region and its page table, shared with the machine's access check. */
  readonly memory: CoreDsmMemory;
  tx: Transaction | undefined;
  /** SYS_TX_BEGINs inside the open transaction: flattened, each matched by a commit that only counts down. */
  nested: number;
  /** Changes on every abort: a token request of an aborted transaction is void. */
  epoch: number;
  /** Restarts of the current transaction, for its backoff and the value begin returns. */
  restarts: number;
}

interface PageCopy {
  version: number;
  data: Uint8Array;
}

interface NodeDsm {
  readonly copies: Map<number, PageCopy>;
  /** The global time of the last commit this node has seen. */
  knownTime: number;
}

/**
 * Plurix's distributed shared memory with transactional consistency. Every node sees the
 * region at the same address and holds the pages it fetched; every core works on its own
 * copy, so a transaction's writes stay private until it commits. A commit takes the
 * cluster's commit token, installs the written pages on its node, invalidates them on
 * every other node and aborts the transactions it collides with.
 */
export class Dsm {
  readonly stats: DsmStats;
  readonly allocator: DsmAllocator;
  private readonly pages: number;
  private readonly owner: Int32Array;
  private readonly version: Uint32Array;
  private readonly nodes: NodeDsm[];
  private readonly cores = new Map<GuestCore, CoreDsm>();
  private readonly log: { time: number; pages: readonly number[] }[] = [];
  private globalTime = 0;
  private token = { node: 0, freeAtNs: 0 };

  constructor(readonly config: DsmConfig, private readonly host: KernelHost,
              private readonly returnValue: (core: GuestCore, value: bigint) => void,
              private readonly emit: KernelEventSink) {
    this.pages = pageCount(config);
    this.owner = new Int32Array(this.pages);
    this.version = new Uint32Array(this.pages);
    this.nodes = Array.from({ length: host.nodeCount }, () => ({ copies: new Map(), knownTime: 0 }));
    this.stats = new DsmStats(host.nodeCount);
    this.allocator = new DsmAllocator(config);
  }

  get time(): number {
    return this.globalTime;
  }

  saveState(): DsmState {
    return {
      owner: [...this.owner], version: [...this.version],
      nodes: this.nodes.map((node) => ({
        knownTime: node.knownTime,
        copies: [...node.copies].map(([page, copy]) => ({ page, version: copy.version, data: Uint8Array.from(copy.data) })),
      })),
      cores: [...this.cores.values()].map((state) => ({
        node: state.core.nodeId, core: state.core.coreId, nested: state.nested, epoch: state.epoch, restarts: state.restarts,
        tx: state.tx ? { startTime: state.tx.startTime, readSet: [...state.tx.readSet], writeSet: [...state.tx.writeSet] } : null,
      })),
      log: this.log.map((entry) => ({ time: entry.time, pages: [...entry.pages] })),
      globalTime: this.globalTime, token: { ...this.token }, stats: this.stats.saveState(), allocator: this.allocator.saveState(),
    };
  }

  /** Puts back a saved state; `core` finds a core by node and number, with its page table already restored. */
  loadState(state: DsmState, core: (node: number, core: number) => GuestCore): void {
    this.owner.set(state.owner);
    this.version.set(state.version);
    state.nodes.forEach((saved, i) => {
      const node = this.nodes[i]!;
      node.knownTime = saved.knownTime;
      node.copies.clear();
      for (const copy of saved.copies) node.copies.set(copy.page, { version: copy.version, data: Uint8Array.from(copy.data) });
    });
    // A core that ran on may have opened a transaction the state has not.
    for (const coreState of this.cores.values()) if (coreState.tx) coreState.memory.setTransactionOpen(false);
    this.cores.clear();
    for (const saved of state.cores) {
      const coreState = this.state(core(saved.node, saved.core));
      coreState.nested = saved.nested;
      coreState.epoch = saved.epoch;
      coreState.restarts = saved.restarts;
      if (saved.tx) {
        const tx = new Transaction(saved.tx.startTime, coreState.memory, this.config.pageBytes);
        for (const page of saved.tx.readSet) tx.readSet.add(page);
        for (const page of saved.tx.writeSet) tx.writeSet.add(page);
        coreState.tx = tx;
        coreState.memory.setTransactionOpen(true);
      }
    }
    this.log.length = 0;
    for (const entry of state.log) this.log.push({ time: entry.time, pages: [...entry.pages] });
    this.globalTime = state.globalTime;
    this.token = { ...state.token };
    this.stats.loadState(state.stats);
    this.allocator.loadState(state.allocator);
  }

  /** The latest committed bytes at `address` (from each page's owner). */
  committed(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const page = this.pageOf(address + i);
      const copy = this.nodes[this.owner[page]!]!.copies.get(page);
      out[i] = copy ? copy.data[address + i - this.pageAddress(page)]! : 0;
    }
    return out;
  }

  /** How many pages each node holds a copy of, by node. */
  pagesHeld(): number[] {
    return this.nodes.map((node) => node.copies.size);
  }

  /** Every open transaction: its core, read and write sets (page numbers), start time, restarts. */
  transactions(): OpenTransaction[] {
    return [...this.cores.values()].flatMap((state) => state.tx ? [{
      node: state.core.nodeId, core: state.core.coreId, startTime: state.tx.startTime, restarts: state.restarts,
      readSet: [...state.tx.readSet].sort((a, b) => a - b), writeSet: [...state.tx.writeSet].sort((a, b) => a - b),
    }] : []);
  }

  contains(address: number): boolean {
    return address >= this.config.base && address < this.config.base + this.config.bytes;
  }

  /** A core reads or writes DSM bytes; returns how the core must wait, or undefined to go on. */
  access(core: GuestCore, address: number, size: number, write: boolean): TrapOutcome | undefined {
    const state = this.state(core);
    const first = this.pageOf(address);
    const last = this.pageOf(Math.min(address + size, this.config.base + this.config.bytes) - 1);
    for (let page = first; page <= last; page++) {
      const tx = state.tx;
      if (write && !tx) {
        return { action: 'fault', reason: `write to DSM at 0x${address.toString(16)} outside a transaction` };
      }
      tx?.touch(page, address - this.pageAddress(page), size, write);
      if (viewOf(state.memory.pageStates, page) === INVALID) {
        const waitNs = this.bringIn(state, page);
        if (waitNs > 0) return { action: 'sleep', ns: waitNs };
      }
      if (write) setView(state.memory.pageStates, page, WRITTEN);
    }
    return undefined;
  }

  /**
   * Starts a transaction. A begin inside one nests by flattening: it returns 0 and only
   * counts, the outermost commit commits and an abort rolls back to the outermost begin.
   */
  begin(core: GuestCore): number {
    const state = this.state(core);
    if (state.tx) {
      state.nested += 1;
      return 0;
    }
    this.setTransaction(state, this.newTransaction(state));
    state.restarts = 0;
    core.saveTransactionStart();
    this.emit({ kind: 'tx-begin', node: core.nodeId, core: core.coreId });
    return 0;
  }

  /** Commits the core's transaction; the core waits for the token and the commit's broadcast. */
  commit(core: GuestCore): TrapOutcome {
    const state = this.state(core);
    const tx = state.tx;
    if (!tx) return { action: 'fault', reason: 'commit without a transaction (no SYS_TX_BEGIN)' };
    if (state.nested > 0) {
      state.nested -= 1;
      return { action: 'resume' };
    }
    if (tx.writeSet.size === 0) {
      this.setTransaction(state, undefined);
      this.emit({ kind: 'tx-read-only', node: core.nodeId, core: core.coreId });
      return { action: 'resume' };
    }
    this.emit({ kind: 'tx-commit-request', node: core.nodeId, core: core.coreId });
    const requestedNs = core.virtualTimeNs();
    this.host.schedule(requestedNs, { kind: 'dsm-token', node: core.nodeId, core: core.coreId, epoch: state.epoch, requestedNs });
    return { action: 'block' };
  }

  /** Pages the core's open transaction wrote and has not committed; undefined with no transaction open. */
  uncommittedPages(core: GuestCore): number | undefined {
    return this.cores.get(core)?.tx?.writeSet.size;
  }

  allocate(core: GuestCore, bytes: number, readOnly: boolean): number {
    return this.allocator.allocate(core.nodeId, bytes, readOnly);
  }

  private state(core: GuestCore): CoreDsm {
    let state = this.cores.get(core);
    if (!state) {
      const memory = core.dsm;
      if (!memory) throw new Error(`core n${core.nodeId}.c${core.coreId} has no DSM mapping`);
      if (memory.pageStates.length !== this.pages) throw new Error(`core n${core.nodeId}.c${core.coreId}: a page table of ${memory.pageStates.length} pages for ${this.pages}`);
      state = { core, memory, tx: undefined, nested: 0, epoch: 0, restarts: 0 };
      this.cores.set(core, state);
    }
    return state;
  }

  private newTransaction(state: CoreDsm): Transaction {
    return new Transaction(this.globalTime, state.memory, this.config.pageBytes);
  }

  /** Ends the core's transaction, if one is open, and opens `next` (if any) in its place. */
  private setTransaction(state: CoreDsm, next: Transaction | undefined): void {
    state.tx?.close();
    state.tx = next;
    if (next) state.memory.setTransactionOpen(true);
  }

  private pageOf(address: number): number {
    return Math.floor((address - this.config.base) / this.config.pageBytes);
  }

  private pageAddress(page: number): number {
    return this.config.base + page * this.config.pageBytes;
  }

  private pageBytes(view: Uint8Array, page: number): Uint8Array {
    const offset = page * this.config.pageBytes;
    return view.subarray(offset, offset + this.config.pageBytes);
  }

  /** Maps a page into a core: from its node's copy, or over the network from the owner. */
  private bringIn(state: CoreDsm, page: number): number {
    const node = state.core.nodeId;
    const here = this.nodes[node]!;
    this.stats.count(node, page, 'faults');
    const fault = { kind: 'dsm-fault', node, core: state.core.coreId, address: this.pageAddress(page) } as const;
    let copy = here.copies.get(page);
    let waitNs = 0;
    if (copy) {
      this.emit({ ...fault, remote: false });
    } else {
      const owner = this.owner[page]!;
      const atNs = state.core.virtualTimeNs();
      this.host.contact({ kind: 'page', from: node, to: owner, page }, atNs);
      waitNs = this.fetchNs(node, owner, page);
      const arrivedNs = atNs + waitNs;
      this.emit({ ...fault, remote: true, transfer: { owner, sentNs: arrivedNs - this.host.messageNs(owner, node, this.config.pageBytes), arrivedNs } });
      const source = this.nodes[owner]!.copies.get(page)
        ?? { version: this.version[page]!, data: new Uint8Array(this.config.pageBytes) };
      this.nodes[owner]!.copies.set(page, source);
      copy = { version: source.version, data: Uint8Array.from(source.data) };
      here.copies.set(page, copy);
      // The reply carries the owner's global time: a node that is behind learns it
      // missed a commit and recovers before it acts on what it holds.
      if (here.knownTime < this.globalTime) this.host.schedule(state.core.virtualTimeNs(), { kind: 'dsm-recover', node });
    }
    this.pageBytes(state.memory.bytes, page).set(copy.data);
    setView(state.memory.pageStates, page, READ);
    return waitNs;
  }

  /** Virtual time from a fault to the page's arrival, by the image's location scheme. */
  private fetchNs(node: number, owner: number, page: number): number {
    const nodes = this.host.nodeCount;
    const reply = this.host.messageNs(owner, node, this.config.pageBytes);
    this.stats.count(node, page, 'requests');
    this.stats.count(owner, page, 'transfers');
    switch (this.config.location) {
      case 'broadcast':
        this.stats.node(node).messages += nodes - 1 + 1;
        return this.host.messageNs(node, owner, REQUEST_BYTES) + reply;
      case 'directory':
        return this.viaHome(node, owner, page) + reply;
      default:
        return unreachable(this.config.location);
    }
  }

  /** The request's way to the owner through the page's home node, counted as messages. */
  private viaHome(node: number, owner: number, page: number): number {
    const home = page % this.host.nodeCount;
    const hops: [number, number][] = [];
    if (home !== node) hops.push([node, home]);
    if (owner !== home) hops.push([home, owner]);
    this.stats.node(node).messages += hops.length + 1;
    return hops.reduce((sum, [from, to]) => sum + this.host.messageNs(from, to, REQUEST_BYTES), 0);
  }

  /** The token request of `core`'s commit comes due: it commits, unless it aborted since (`epoch`). */
  takeToken(core: GuestCore, epoch: number, requestedNs: number): void {
    const state = this.state(core);
    if (state.epoch !== epoch || !state.tx) return;
    const node = state.core.nodeId;
    if (this.token.node !== node) this.host.contact({ kind: 'token', from: node, to: this.token.node }, requestedNs);
    const grantNs = Math.max(requestedNs, this.token.freeAtNs)
      + (this.token.node === node ? 0 : this.host.messageNs(this.token.node, node, REQUEST_BYTES));
    this.token = { node, freeAtNs: grantNs };
    // The token carries the global time: a node that missed a commit recovers first,
    // which aborts this transaction if it touched what it missed.
    if (this.nodes[node]!.knownTime < this.globalTime) this.recover(node);
    if (state.epoch !== epoch || !state.tx) return;
    const doneNs = this.install(state, state.tx, grantNs);
    this.token.freeAtNs = doneNs;
    this.setTransaction(state, undefined);
    this.sleepUntil(state.core, doneNs);
  }

  /** Makes a transaction's writes the pages' new versions everywhere; returns when all nodes have them. */
  private install(state: CoreDsm, tx: Transaction, atNs: number): number {
    const node = state.core.nodeId;
    const written = [...tx.writeSet].sort((a, b) => a - b);
    const changed = new Map<number, Uint8Array>();
    for (const page of written) {
      const data = Uint8Array.from(this.pageBytes(state.memory.bytes, page));
      const shadow = this.nodes[node]!.copies.get(page)?.data;
      changed.set(page, data.map((byte, i) => (shadow && shadow[i] === byte ? 0 : 1)));
      this.version[page]! += 1;
      this.owner[page] = node;
      this.nodes[node]!.copies.set(page, { version: this.version[page]!, data });
      setView(state.memory.pageStates, page, READ);
      this.stats.countPage(page, 'commits');
    }
    this.stats.node(node).commits += 1;
    this.globalTime += 1;
    this.log.push({ time: this.globalTime, pages: written });
    const deliveries = Array.from({ length: this.host.nodeCount }, (_, other) => other).filter((other) => other !== node)
      .map((other) => ({ node: other, atNs: atNs + this.host.messageNs(node, other, REQUEST_BYTES + 8 * written.length) }));
    const doneNs = Math.max(atNs, ...deliveries.map((delivery) => delivery.atNs));
    this.emit({ kind: 'commit', node, core: state.core.coreId, pages: written, globalTime: this.globalTime, grantNs: atNs, doneNs, deliveries });
    this.nodes[node]!.knownTime = this.globalTime;

    for (const { node: other } of deliveries) {
      this.stats.node(node).messages += 1;
      this.host.contact({ kind: 'commit', from: node, to: other }, atNs);
      if (this.host.drops({ kind: 'commit', from: node, to: other })) continue;
      for (const page of written) this.nodes[other]!.copies.delete(page);
      // The broadcast carries the global time: a node that missed an earlier commit
      // learns it here and recovers, instead of taking this commit's time as its own.
      if (this.nodes[other]!.knownTime < this.globalTime - 1) this.recover(other);
      else this.nodes[other]!.knownTime = this.globalTime;
    }
    for (const victim of this.cores.values()) {
      if (victim === state) continue;
      const delivered = victim.core.nodeId === node || this.nodes[victim.core.nodeId]!.knownTime === this.globalTime;
      if (!delivered) continue;
      this.collide(victim, written, changed, atNs);
      for (const page of written) {
        if (viewOf(victim.memory.pageStates, page) === READ) setView(victim.memory.pageStates, page, INVALID);
      }
    }
    return doneNs;
  }

  /** Aborts `victim` if its transaction touched pages another core's commit wrote. */
  private collide(victim: CoreDsm, written: readonly number[], changed: ReadonlyMap<number, Uint8Array>, atNs: number): void {
    const tx = victim.tx;
    if (!tx) return;
    const hit = written.filter((page) => tx.touches(page));
    if (hit.length === 0) return;
    const trueSharing = hit.some((page) => tx.overlaps(page, changed.get(page)!));
    const cause = trueSharing ? 'abortsTrueSharing' : 'abortsFalseSharing';
    this.stats.node(victim.core.nodeId)[cause] += 1;
    for (const page of hit) this.stats.countPage(page, cause);
    this.abort(victim, atNs, trueSharing ? 'true sharing' : 'false sharing');
  }

  /** A node that missed commits drops every page they wrote and aborts what touched them. */
  recover(node: number): void {
    const here = this.nodes[node]!;
    if (here.knownTime >= this.globalTime) return;
    const missed = new Set(this.log.filter((entry) => entry.time > here.knownTime).flatMap((entry) => entry.pages));
    for (const page of missed) {
      const copy = here.copies.get(page);
      if (copy && copy.version !== this.version[page]) here.copies.delete(page);
    }
    here.knownTime = this.globalTime;
    this.stats.node(node).recoveries += 1;
    for (const state of this.cores.values()) {
      if (state.core.nodeId !== node) continue;
      const touched = state.tx && [...missed].some((page) => state.tx!.touches(page));
      for (const page of missed) {
        if (viewOf(state.memory.pageStates, page) === READ && !here.copies.has(page)) setView(state.memory.pageStates, page, INVALID);
      }
      if (touched) this.abort(state, state.core.virtualTimeNs(), 'missed commit');
    }
  }

  private abort(state: CoreDsm, atNs: number, cause: AbortCause): void {
    this.dropWrites(state);
    state.epoch += 1;
    state.restarts += 1;
    // The core resumes after its outermost begin: the nested begins run again.
    state.nested = 0;
    this.stats.node(state.core.nodeId).restarts += 1;
    this.setTransaction(state, this.newTransaction(state));
    state.core.rollBackToTransactionStart();
    this.returnValue(state.core, BigInt(state.restarts));
    // Exponential backoff, staggered by core so that two colliders do not meet again.
    const doublings = Math.min(state.restarts - 1, MAX_BACKOFF_DOUBLINGS);
    const abortNs = Math.max(atNs, state.core.virtualTimeNs());
    const wakeNs = abortNs + BACKOFF_NS * 2 ** doublings + 100 * (state.core.nodeId * 8 + state.core.coreId);
    this.emit({ kind: 'abort', node: state.core.nodeId, core: state.core.coreId, atNs: abortNs, wakeNs, restart: state.restarts, cause });
    this.sleepUntil(state.core, wakeNs);
  }

  private sleepUntil(core: GuestCore, atNs: number): void {
    core.sleepUntil(atNs);
    this.host.schedule(atNs, { kind: 'wake', node: core.nodeId, core: core.coreId, atNs });
  }

  /** Throws away a transaction's private pages: the node's copy is the shadow. */
  private dropWrites(state: CoreDsm): void {
    const tx = state.tx;
    if (!tx) return;
    for (const page of tx.writeSet) {
      const copy = this.nodes[state.core.nodeId]!.copies.get(page);
      if (copy) {
        this.pageBytes(state.memory.bytes, page).set(copy.data);
        setView(state.memory.pageStates, page, READ);
      } else {
        setView(state.memory.pageStates, page, INVALID);
      }
    }
  }
}
