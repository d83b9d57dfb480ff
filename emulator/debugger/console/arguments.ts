import { ISAS } from '../../../isa/index.js';
import { DebugError, type CoreRef, type DebugSession, type Scope } from '../session.js';
import { evaluate } from './expression.js';

/** A core named `n<node>.c<core>` that exists in the cluster. */
export function parseCore(session: DebugSession, text: string): CoreRef {
  const match = /^n(\d+)\.c(\d+)$/.exec(text);
  if (!match) throw new DebugError(`'${text}' is not a core: expected n<node>.c<core>, e.g. n1.c0`);
  const ref = { node: Number(match[1]), core: Number(match[2]) };
  session.core(ref);
  return ref;
}

/** `all`, or one core. */
export function parseScope(session: DebugSession, text: string): Scope {
  return text === 'all' ? 'all' : parseCore(session, text);
}

/** A count from 1 to `max`; `fallback` when absent. Bounded so a typo cannot hang the session. */
export function parseCount(text: string | undefined, what: string, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new DebugError(`${what}: expected a count from 1 to ${max}, got '${text}'`);
  }
  return Number(text);
}

/**
 * An address: a number, a register of the selected core, a linker symbol of the node, a
 * C `file.c:LINE`, or a sum of them (`$sp+8`, `foo+0x10`), within what the node's ISA
 * can address.
 */
export function parseAddress(session: DebugSession, text: string, node: number): number {
  const value = evaluate(session, text, node);
  const isa = ISAS[session.cluster.node(node).isa];
  if (value < 0n || value >= 1n << BigInt(8 * isa.wordBytes) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DebugError(`address '${text}' is outside what ${isa.name} can address`);
  }
  return Number(value);
}

/** Throws unless the command got between `min` and `max` arguments. */
export function expectArguments(args: readonly string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new DebugError(`usage: ${usage}`);
}
