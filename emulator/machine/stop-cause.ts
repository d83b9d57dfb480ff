import type { MemoryFault, TrapOutcome } from '../../guest-kernel/index.js';
import { unreachable } from '../../isa/index.js';
import type { DebugStop } from './debug-stop.js';

/** Bytes a watched store overwrote, to put back: the store runs again when the core resumes. */
interface WriteUndo {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** The debugger stops the core; a watchpoint on a store also undoes the store. */
export interface DebugHit {
  readonly stop: DebugStop;
  readonly undo?: WriteUndo;
}

/**
 * Why the engine's run ended before its count ran out: the hook that stops the engine
 * sets it, and the core reads it once the run returns. A debugger event raised while
 * the kernel serves a trap or an access rides along with that cause.
 */
export type StopCause =
  /** A trap whose outcome ends the quantum: the core goes on at `resumePc`. */
  | { readonly kind: 'trap'; readonly outcome: TrapOutcome; readonly resumePc: number; readonly debug?: DebugHit }
  /** The kernel stopped a DSM or channel access before it completed: the instruction runs again. */
  | { readonly kind: 'access'; readonly outcome: TrapOutcome; readonly pc: number; readonly debug?: DebugHit }
  /** A breakpoint, watchpoint or caught event, before the instruction ran. */
  | { readonly kind: 'debug'; readonly debug: DebugHit; readonly pc: number }
  /** A memory hook saw the access the run faults on. */
  | { readonly kind: 'memory-fault'; readonly fault: MemoryFault; readonly engineType: number };

export function debugHitOf(cause: StopCause | undefined): DebugHit | undefined {
  switch (cause?.kind) {
    case undefined:
    case 'memory-fault': return undefined;
    case 'trap':
    case 'access':
    case 'debug': return cause.debug;
    default: return unreachable(cause);
  }
}

