import { type Engine, type HookHandle, UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE, UC_MEM_WRITE } from '../engine/index.js';
import type { DebugStop } from './debug-stop.js';
import type { DebugHit } from './stop-cause.js';

/** What the debug hooks need of their core. */
export interface DebugTarget {
  /** Whether a debugger stop is already waiting for the engine to return. */
  readonly hasDebugHit: boolean;
  /** Stops the engine before the instruction runs (tests/engine/unicorn-quirks). */
  stopForDebug(hit: DebugHit): void;
}

export type WatchAccess = 'read' | 'write' | 'access';

/** The breakpoints and watchpoints of one core's engine. */
export class DebugHooks {
  /** Decides whether a hit breakpoint or watchpoint stops the core (its condition). */
  filter: ((stop: DebugStop) => boolean) | undefined;
  private suppressedValue = false;
  /** While set, only breakpoints at this address are silent (the branch of a replayed pair). */
  private silentAddress: number | undefined;
  private readonly hooks = new Map<string, HookHandle>();

  constructor(private readonly engine: Engine, private readonly target: DebugTarget) {}

  /** While true, breakpoints and watchpoints do not fire: the core steps off a stop. */
  get suppressed(): boolean {
    return this.suppressedValue;
  }

  /** Runs `body` with every breakpoint and watchpoint silent. */
  whileSuppressed<T>(body: () => T): T {
    this.suppressedValue = true;
    try {
      return body();
    } finally {
      this.suppressedValue = false;
    }
  }

  /**
   * Runs `body` with only the breakpoints at `address` silent, when called while every
   * stop is (stepping off a stop at a SPARC branch replays it with its slot: the slot's
   * own breakpoint must fire, the branch's must not again).
   */
  whileOnlySilentAt<T>(address: number, body: () => T): T {
    if (!this.suppressedValue) return body();
    this.suppressedValue = false;
    this.silentAddress = address;
    try {
      return body();
    } finally {
      this.suppressedValue = true;
      this.silentAddress = undefined;
    }
  }

  addBreakpoint(address: number): void {
    const key = `b${address}`;
    if (this.hooks.has(key)) return;
    this.hooks.set(key, this.engine.onCode(address, address, () => this.hit({ kind: 'breakpoint', address })));
    // Unicorn instruments code hooks when it translates a block: code already translated
    // would run past the new breakpoint (tests/engine/unicorn-quirks).
    this.engine.invalidate(address, address + 1);
  }

  removeBreakpoint(address: number): void {
    this.remove(`b${address}`);
  }

  addWatchpoint(id: number, address: number, length: number, access: WatchAccess): void {
    const types = (access === 'write' ? 0 : UC_HOOK_MEM_READ) | (access === 'read' ? 0 : UC_HOOK_MEM_WRITE);
    this.hooks.set(`w${id}`, this.engine.onMemoryAccess(types, address, address + length - 1, (type, at, size) => {
      const write = type === UC_MEM_WRITE;
      // Unicorn stores the value even when a write hook stops the engine, yet the core
      // resumes at the same instruction: keep the old bytes so the store can be undone
      // and the instruction (a read-modify-write, say) runs exactly once.
      const before = write ? Uint8Array.from(this.engine.readMemory(at, size)) : undefined;
      this.hit({ kind: 'watchpoint', id, address: at, size, write }, before && { address: at, bytes: before });
    }));
  }

  removeWatchpoint(id: number): void {
    this.remove(`w${id}`);
  }

  private remove(key: string): void {
    const hook = this.hooks.get(key);
    if (!hook) return;
    this.engine.removeHook(hook);
    this.hooks.delete(key);
  }

  private hit(stop: DebugStop, undo?: DebugHit['undo']): void {
    if (this.suppressedValue || this.target.hasDebugHit || (this.filter && !this.filter(stop))) return;
    if (stop.kind === 'breakpoint' && stop.address === this.silentAddress) return;
    this.target.stopForDebug(undo ? { stop, undo } : { stop });
  }
}
