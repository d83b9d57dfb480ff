import type { KernelEvent } from '../../guest-kernel/index.js';
import type { Cluster, Core, CoreFilter, CoreSummary, DebugStop, Scheduler, SchedulerStep } from '../machine/index.js';
import type { PlacedObject, SymbolState } from '../../linker/index.js';
import { parseSourceLine, SourceLineError, SourceLines } from './source-lines.js';
import { SymbolTable } from './symbols.js';
import { HistoryError, TimeTravel, type Position, type ReplayMode } from './time-travel.js';

export interface CoreRef {
  readonly node: number;
  readonly core: number;
}

export type Scope = CoreRef | 'all';

/** `reg op value`, e.g. `eax == 5`: a breakpoint stops only when it holds. */
export interface Condition {
  readonly text: string;
  readonly register: string;
  readonly op: '==' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: bigint;
}

export interface Breakpoint {
  readonly id: number;
  readonly address: number;
  readonly scope: Scope;
  readonly condition: Condition | undefined;
  /** Deleted once it stops the cluster (tbreak). */
  readonly temporary: boolean;
  enabled: boolean;
  hits: number;
}

export interface Watchpoint {
  readonly id: number;
  readonly address: number;
  readonly length: number;
  readonly access: 'read' | 'write' | 'access';
  readonly scope: Scope;
  enabled: boolean;
}

/** A node's code changed: `symbol` re-bound to `binding` (as it stood then), or the linker's own work. */
interface RelinkEvent {
  readonly kind: 'relink';
  readonly node: number;
  readonly symbol: string | undefined;
  readonly binding: string | undefined;
}

export const CATCHES = ['dsm-fault', 'commit', 'abort', 'send', 'receive', 'relink', 'task-spawn', 'task-exit', 'task-migrate'] as const;
export type Catch = (typeof CATCHES)[number];

/** The kernel's events a catchpoint can stop at (the others feed run timelines). */
type CatchableEvent = Extract<KernelEvent, { readonly kind: Catch }>;

function catchable(event: KernelEvent): event is CatchableEvent {
  return (CATCHES as readonly string[]).includes(event.kind);
}

export type StopReason =
  | { readonly kind: 'breakpoint'; readonly core: CoreRef; readonly id: number; readonly address: number }
  | { readonly kind: 'watchpoint'; readonly core: CoreRef; readonly id: number; readonly address: number; readonly write: boolean }
  | { readonly kind: 'catch'; readonly event: CatchableEvent | RelinkEvent }
  | { readonly kind: 'step'; readonly core: CoreRef | undefined }
  | { readonly kind: 'fault'; readonly core: CoreRef; readonly reason: string }
  | { readonly kind: 'interrupt' }
  /** The nodes let run all wait on nodes kept stopped: nothing can move until those run too. */
  | { readonly kind: 'blocked' }
  /** Going back reached the earliest point the session kept: the run's start, or where history began again. */
  | { readonly kind: 'history-start'; readonly core: CoreRef | undefined }
  | { readonly kind: 'exited' };

/** The nodes a run or step lets run; the others stay stopped. Absent: every node. */
export type Nodes = readonly number[] | undefined;

/** Instructions between the snapshots a session keeps to go back from, by default. */
export const HISTORY_EVERY = 1_000_000;

export interface SessionOptions {
  /** Instructions between the snapshots kept for going back (reverse-stepi, reverse-continue). */
  readonly historyEvery?: number;
}

const OPERATORS: Readonly<Record<Condition['op'], (a: bigint, b: bigint) => boolean>> = {
  '==': (a, b) => a === b, '!=': (a, b) => a !== b, '<': (a, b) => a < b,
  '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

export class DebugError extends Error {}

/** Parses a breakpoint condition; throws DebugError naming what is wrong. */
export function parseCondition(text: string, registers: readonly string[]): Condition {
  const match = /^\s*(\w+)\s*(==|!=|<=|>=|<|>)\s*(-?(?:0x[0-9a-f]+|\d+))\s*$/i.exec(text);
  if (!match) throw new DebugError(`condition '${text}': expected REGISTER OP NUMBER, e.g. eax == 5`);
  const [, register, op, value] = match as unknown as [string, string, Condition['op'], string];
  if (!registers.includes(register.toLowerCase())) throw new DebugError(`condition '${text}': no register ${register}`);
  const parsed = value.startsWith('-') ? -BigInt(value.slice(1)) : BigInt(value);
  return { text: text.trim(), register: register.toLowerCase(), op, value: parsed };
}

function describeBinding(state: Readonly<SymbolState>): string {
  return state.open ? 'open, through fail-safe' : `${state.provider ?? 'no module'}, ${state.intensity}`;
}

/** Runs a call on the session's history, its refusals told as the debugger's. */
function historyCall<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof HistoryError) throw new DebugError(error.message);
    throw error;
  }
}

function sameCore(a: CoreRef, b: CoreRef): boolean {
  return a.node === b.node && a.core === b.core;
}

/**
 * Controls a booted cluster for a debugger: stepping, continuing, breakpoints,
 * watchpoints and catchpoints over kernel events. The console and the gdb stub both
 * drive it. Execution stops at quantum granularity for catchpoints and exactly at the
 * instruction for breakpoints and watchpoints.
 */
export class DebugSession {
  readonly breakpoints: Breakpoint[] = [];
  readonly watchpoints: Watchpoint[] = [];
  readonly catches = new Set<Catch>();
  selected: CoreRef = { node: 0, core: 0 };
  private nextId = 1;
  private nextInternalId = -1;
  private readonly scheduler: Scheduler;
  /** Caught events not reported yet, oldest first: one commit may abort several transactions. */
  private readonly caught: StopReason[] = [];
  private interrupted = false;
  private readonly faulted = new Set<Core>();
  private readonly sourceTables = new Map<number, SourceLines>();
  /** Live, or re-running from a snapshot to go back: then no stop is counted or reported. */
  private replayMode: ReplayMode | undefined;
  private readonly history: TimeTravel;

  constructor(readonly cluster: Cluster, readonly quantum: number, options: SessionOptions = {}) {
    this.scheduler = cluster.scheduler();
    cluster.kernel.observer = (event) => {
      if (this.replayMode !== undefined || !catchable(event) || !this.catches.has(event.kind)) return;
      this.caught.push({ kind: 'catch', event });
      // Stop the core that caused it right there, not at the end of its quantum.
      this.cluster.nodes[event.node]?.cores[event.core]?.stopForDebugger();
    };
    cluster.onCodeChange = (node, symbol) => {
      if (this.replayMode !== undefined || !this.catches.has('relink')) return;
      const binding = symbol === undefined ? undefined : describeBinding(cluster.node(node).linker.binding(symbol));
      this.caught.push({ kind: 'catch', event: { kind: 'relink', node, symbol, binding } });
    };
    for (const core of cluster.cores) core.debugFilter = (stop) => this.shouldStop(core, stop);
    this.history = new TimeTravel({
      cluster, scheduler: this.scheduler, quantum,
      replaying: (mode) => {
        this.replayMode = mode;
        cluster.replaying = mode !== undefined;
      },
    }, options.historyEvery ?? HISTORY_EVERY);
  }

  /** Only the given nodes' cores, unless that is every node. */
  private nodeFilter(nodes: Nodes): CoreFilter | undefined {
    if (!nodes || this.cluster.nodes.every((node) => nodes.includes(node.nodeId))) return undefined;
    return (core) => nodes.includes(core.nodeId);
  }

  /** One scheduler step; a run of some nodes only is not the cluster's, so history starts again after it. */
  private schedule(quantum: number, stepping?: Core, only?: CoreFilter): SchedulerStep {
    if (only) this.history.forget('a run of some nodes only');
    return this.history.step(quantum, stepping, only);
  }

  /**
   * The debugger changed the cluster by hand (a register, a byte, a pc): no snapshot
   * kept leads here, so going back can reach only what comes after.
   */
  changedByHand(what: string): void {
    this.history.forget(what);
  }

  core(ref: CoreRef = this.selected): Core {
    const core = this.cluster.nodes[ref.node]?.cores[ref.core];
    if (!core) throw new DebugError(`no core n${ref.node}.c${ref.core}`);
    return core;
  }

  refOf(core: Core): CoreRef {
    return { node: core.nodeId, core: core.coreId };
  }

  symbols(node: number): SymbolTable {
    const found = this.cluster.nodes[node];
    if (!found) throw new DebugError(`no node ${node}`);
    return new SymbolTable(found);
  }

  /** Where the node's C objects were placed (assembly modules have none). */
  placedObjects(node: number): PlacedObject[] {
    const found = this.cluster.nodes[node];
    if (!found) throw new DebugError(`no node ${node}`);
    return found.linker.plan.modules.flatMap((module) => module.objects ?? []);
  }

  /** The node's C source lines, read from its objects' DWARF on first use. */
  sourceLines(node: number): SourceLines {
    let table = this.sourceTables.get(node);
    if (!table) {
      try {
        table = new SourceLines(this.placedObjects(node));
      } catch (error) {
        if (error instanceof SourceLineError) throw new DebugError(error.message);
        throw error;
      }
      this.sourceTables.set(node, table);
    }
    return table;
  }

  /**
   * An address given as a number (0x...), a linker symbol of the node, a name the
   * image's assembler knows (`DSM_BASE`, `USER_DATA`) or a C `file.c:LINE`.
   */
  resolveAddress(text: string, node: number): number {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text);
    const entry = this.symbols(node).lookup(text);
    if (entry) return entry.address;
    const predefined = this.cluster.symbols.get(text);
    if (predefined !== undefined) return predefined;
    const sourceLine = parseSourceLine(text);
    if (!sourceLine) throw new DebugError(`no symbol '${text}' on node ${node}`);
    try {
      return this.sourceLines(node).addressOf(sourceLine.file, sourceLine.line);
    } catch (error) {
      if (error instanceof SourceLineError) throw new DebugError(`${text}: ${error.message}`);
      throw error;
    }
  }

  private coresIn(scope: Scope): Core[] {
    return scope === 'all' ? this.cluster.cores : [this.core(scope)];
  }

  addBreakpoint(address: number, scope: Scope, condition?: Condition, temporary = false): Breakpoint {
    return this.insertBreakpoint({ id: this.nextId++, address, scope, condition, temporary, enabled: true, hits: 0 });
  }

  /**
   * A breakpoint the debugger sets for itself (`next`, `until`, `finish`), as gdb's
   * internal ones: a negative id, left out of listings; its setter deletes it.
   */
  addInternalBreakpoint(address: number, scope: Scope): Breakpoint {
    return this.insertBreakpoint({ id: this.nextInternalId--, address, scope, condition: undefined, temporary: false, enabled: true, hits: 0 });
  }

  private insertBreakpoint(breakpoint: Breakpoint): Breakpoint {
    this.breakpoints.push(breakpoint);
    for (const core of this.coresIn(breakpoint.scope)) core.addBreakpoint(breakpoint.address);
    return breakpoint;
  }

  addWatchpoint(address: number, length: number, access: Watchpoint['access'], scope: Scope): Watchpoint {
    const watchpoint: Watchpoint = { id: this.nextId++, address, length, access, scope, enabled: true };
    this.watchpoints.push(watchpoint);
    for (const core of this.coresIn(scope)) core.addWatchpoint(watchpoint.id, address, length, access);
    return watchpoint;
  }

  /** Turns a breakpoint or watchpoint on or off by id; false when there is none. */
  setEnabled(id: number, enabled: boolean): boolean {
    const point = this.breakpoints.find((b) => b.id === id) ?? this.watchpoints.find((w) => w.id === id);
    if (!point) return false;
    point.enabled = enabled;
    return true;
  }

  /** Deletes a breakpoint or watchpoint by id; false when there is none. */
  delete(id: number): boolean {
    const b = this.breakpoints.findIndex((entry) => entry.id === id);
    if (b >= 0) {
      const [removed] = this.breakpoints.splice(b, 1);
      const stillWanted = (core: Core) => this.breakpoints.some((other) => other.address === removed!.address
        && (other.scope === 'all' || sameCore(other.scope, this.refOf(core))));
      for (const core of this.coresIn(removed!.scope)) if (!stillWanted(core)) core.removeBreakpoint(removed!.address);
      return true;
    }
    const w = this.watchpoints.findIndex((entry) => entry.id === id);
    if (w < 0) return false;
    const [removed] = this.watchpoints.splice(w, 1);
    for (const core of this.coresIn(removed!.scope)) core.removeWatchpoint(removed!.id);
    return true;
  }

  private shouldStop(core: Core, stop: DebugStop): boolean {
    if (this.replayMode === 'silent') return false;
    if (stop.kind === 'event') return this.replayMode === undefined;
    if (stop.kind === 'watchpoint') return this.watchpoints.some((w) => w.id === stop.id && w.enabled);
    const ref = this.refOf(core);
    const matching = this.breakpoints.filter((b) => b.enabled && b.address === stop.address
      && (b.scope === 'all' || sameCore(b.scope, ref))
      && (!b.condition || OPERATORS[b.condition.op](core.readRegister(b.condition.register), b.condition.value)));
    if (this.replayMode === undefined) for (const breakpoint of matching) breakpoint.hits += 1;
    return matching.length > 0;
  }

  /**
   * Writes the node's RAM, which its cores share; each drops its translations of the
   * range so patched code runs. The DSM region is the kernel's (transactions track it).
   */
  writeMemory(node: number, address: number, bytes: Uint8Array): void {
    const found = this.cluster.node(node);
    try {
      found.writeRam(address, bytes);
    } catch {
      const dsm = this.cluster.kernel.dsm?.config;
      const inDsm = dsm !== undefined && address < dsm.base + dsm.bytes && address + bytes.length > dsm.base;
      const why = inDsm ? 'the DSM region is written by transactions only' : `not in node ${node}'s RAM`;
      throw new DebugError(`cannot write ${bytes.length} bytes at 0x${address.toString(16)}: ${why}`);
    }
    this.changedByHand(`the write to node ${node}'s memory at 0x${address.toString(16)}`);
    for (const core of found.cores) core.engine.invalidate(address, address + bytes.length);
  }

  /** Ends a node's cores for good (gdb's kill): each one not finished stops as killed. */
  killNode(node: number): void {
    this.changedByHand(`node ${node} was killed`);
    for (const core of this.cluster.node(node).cores) {
      if (core.status === 'ready' || core.status === 'sleeping') core.haltWithFault('killed by the debugger');
    }
  }

  /** Asks a running `continue` to stop at the next quantum (gdb's Ctrl-C). */
  interrupt(): void {
    this.interrupted = true;
  }

  /**
   * Steps one core by `count` instructions in schedule order: within its turn it runs
   * alone, and when its turn ends the other cores run theirs (a breakpoint of theirs
   * stops the step) before it steps on. Stepping thus never changes the run. With
   * `nodes`, only their cores run meanwhile (the core's own node must be one of them).
   */
  stepInOrder(ref: CoreRef, count: number, nodes?: Nodes): StopReason {
    const core = this.core(ref);
    if (!core.isRunnable) throw new DebugError(`n${ref.node}.c${ref.core} is ${core.status}, it cannot step`);
    const only = this.nodeFilter(nodes && [...nodes, ref.node]);
    for (let left = count; left > 0;) {
      const step = this.schedule(this.quantum, core, only);
      if (step.kind === 'done') return { kind: 'exited' };
      if (step.kind === 'blocked') return { kind: 'blocked' };
      if (step.kind === 'stepped' || step.kind === 'quantum') {
        const stop = this.stopOf(step.core) ?? this.takeCaught();
        if (stop) return stop;
        if (step.kind === 'stepped') left--;
      }
      if (core.status !== 'ready' && core.status !== 'sleeping') break;
      if (this.interrupted) {
        this.interrupted = false;
        return { kind: 'interrupt' };
      }
    }
    return this.finishStop({ kind: 'step', core: ref });
  }

  /**
   * Steps one core by `count` instructions while the other cores stay (gdb's scheduler
   * locking): within the core's turn this changes nothing; past its end the core runs
   * ahead of the others.
   */
  stepCore(ref: CoreRef, count: number): StopReason {
    const core = this.core(ref);
    if (!core.isRunnable) throw new DebugError(`n${ref.node}.c${ref.core} is ${core.status}, it cannot step`);
    for (let left = count; left > 0 && core.isRunnable; left--) {
      if (this.scheduler.turnGoesOn(core)) this.history.ran(core);
      else this.history.forget(`n${ref.node}.c${ref.core} ran alone past its turn`);
      this.scheduler.consumed(core, core.step());
      const stop = this.stopOf(core) ?? this.takeCaught();
      if (stop) return stop;
    }
    return this.finishStop({ kind: 'step', core: ref });
  }

  /** Every runnable core runs `count` instructions, in scheduler order. */
  stepAll(count: number): StopReason {
    this.history.forget('stepall (quanta of its own size)');
    for (;;) {
      const step = this.schedule(count);
      if (step.kind === 'quantum') {
        const stop = this.stopOf(step.core);
        if (stop) return stop;
        continue;
      }
      return step.kind === 'done' ? { kind: 'exited' } : this.finishStop({ kind: 'step', core: undefined });
    }
  }

  /** Runs until something stops the cluster. */
  continue(): StopReason {
    for (;;) {
      const stop = this.continueFor(10_000);
      if (stop) return stop;
    }
  }

  /**
   * Runs at most `steps` scheduler steps, of the given nodes' cores only when named;
   * undefined while nothing has stopped it (gdb polls).
   */
  continueFor(steps: number, nodes?: Nodes): StopReason | undefined {
    const queued = this.takeCaught();
    if (queued) return queued;
    const only = this.nodeFilter(nodes);
    for (let i = 0; i < steps; i++) {
      const step = this.schedule(this.quantum, undefined, only);
      if (step.kind === 'done') return { kind: 'exited' };
      if (step.kind === 'blocked') return { kind: 'blocked' };
      if (step.kind === 'quantum') {
        const stop = this.stopOf(step.core);
        if (stop) return stop;
      }
      const caught = this.takeCaught();
      if (caught) return caught;
      if (this.interrupted) {
        this.interrupted = false;
        return { kind: 'interrupt' };
      }
    }
    return undefined;
  }

  private takeCaught(): StopReason | undefined {
    // An event of a kind uncaught since it happened is not reported.
    for (let next = this.caught.shift(); next; next = this.caught.shift()) {
      if (next.kind !== 'catch' || this.catches.has(next.event.kind)) return next;
    }
    return undefined;
  }

  private finishStop(stop: StopReason): StopReason {
    return this.takeCaught() ?? stop;
  }

  private stopOf(core: Core): StopReason | undefined {
    const ref = this.refOf(core);
    if (core.status === 'faulted' && !this.faulted.has(core)) {
      this.faulted.add(core);
      return { kind: 'fault', core: ref, reason: core.summary().fault?.reason ?? 'fault' };
    }
    const stop = core.debugStop;
    if (!stop || stop.kind === 'event') return undefined;
    this.selected = ref;
    if (stop.kind === 'breakpoint') {
      const breakpoint = this.breakpoints.find((b) => b.enabled && b.address === stop.address
        && (b.scope === 'all' || sameCore(b.scope, ref)));
      if (breakpoint?.temporary) this.delete(breakpoint.id);
      return { kind: 'breakpoint', core: ref, id: breakpoint?.id ?? 0, address: stop.address };
    }
    return { kind: 'watchpoint', core: ref, id: stop.id, address: stop.address, write: stop.write };
  }

  /**
   * Goes back `count` instructions of a core, in schedule order: the cluster is where it
   * was when that core had retired that many fewer.
   */
  reverseStep(ref: CoreRef, count: number): StopReason {
    const core = this.core(ref);
    const arrival = this.goingBack(() => this.history.stepBack(core, count));
    return arrival === 'history-start' ? { kind: 'history-start', core: ref } : { kind: 'step', core: ref };
  }

  /** Goes back to the last breakpoint or watchpoint hit before now. */
  reverseContinue(): StopReason {
    const hit = this.goingBack(() => this.history.continueBack((core) => {
      const kind = core.debugStop?.kind;
      return kind === 'breakpoint' || kind === 'watchpoint';
    }));
    return (hit && this.stopOf(hit)) ?? { kind: 'history-start', core: undefined };
  }

  /** Remembers this point of the run (gdb's `checkpoint`); returns its number. */
  checkpoint(): number {
    return historyCall(() => this.history.bookmark());
  }

  checkpoints(): [number, Position][] {
    return this.history.bookmarkList();
  }

  /** Goes to a checkpoint, back or forward (gdb's `restart N`). */
  restart(id: number): StopReason {
    this.goingBack(() => this.history.goToBookmark(id));
    return { kind: 'step', core: this.selected };
  }

  /** Runs a way back; what the session noted of the run it left (caught events, faults reported) goes. */
  private goingBack<T>(body: () => T): T {
    const result = historyCall(body);
    this.caught.length = 0;
    this.interrupted = false;
    this.faulted.clear();
    for (const core of this.cluster.cores) if (core.status === 'faulted') this.faulted.add(core);
    return result;
  }

  summaries(): CoreSummary[] {
    return this.cluster.cores.map((core) => core.summary());
  }
}
