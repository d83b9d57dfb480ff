import { ISAS, type IsaName } from '../../../isa/index.js';
import { DebugError, type DebugSession } from '../session.js';
import { readRegister, registerNames } from './registers.js';

const NUMBER = /^-?(0x[0-9a-f]+|\d+)$/i;

/** A register as the user names it: `$` optional, and gdb's `pc` and `sp` for the ISA's own. */
export function registerName(isa: IsaName, text: string): string {
  const name = text.startsWith('$') ? text.slice(1) : text;
  const { pc, sp } = ISAS[isa].registers;
  return name === 'pc' ? pc : name === 'sp' ? sp : name;
}

/**
 * One operand: a number, a register of the selected core (`$sp`, `esp`; `$pc` is the
 * ISA's pc), a linker symbol of the node or a C `file.c:LINE`.
 */
function operand(session: DebugSession, text: string, node: number): bigint {
  if (NUMBER.test(text)) return text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text);
  const core = session.core();
  const register = registerName(core.isa, text);
  if (core.nodeId === node && registerNames(core.isa, true).includes(register)) return readRegister(core, register);
  if (text.startsWith('$')) throw new DebugError(`no register '${text.slice(1)}' on ${core.isa} (n${core.nodeId}.c${core.coreId})`);
  return BigInt(session.resolveAddress(text, node));
}

/**
 * A sum like gdb's address expressions: operands joined by `+` and `-`, as in `$sp+8`,
 * `foo+0x10` or `esp - 4`. A symbol's own `-` (module names such as `hello-sparc32`)
 * stays part of it: the whole text is tried as one operand before it is split.
 */
export function evaluate(session: DebugSession, text: string, node: number): bigint {
  const trimmed = text.trim();
  if (trimmed === '') throw new DebugError('an empty expression');
  let failure: unknown;
  try {
    return operand(session, trimmed, node);
  } catch (error) {
    if (!(error instanceof DebugError)) throw error;
    failure = error;
  }
  for (let at = trimmed.length - 1; at > 0; at--) {
    const sign = trimmed[at];
    if (sign !== '+' && sign !== '-') continue;
    let right: bigint;
    try {
      right = operand(session, trimmed.slice(at + 1).trim(), node);
    } catch (error) {
      if (error instanceof DebugError) continue;
      throw error;
    }
    return sign === '+' ? evaluate(session, trimmed.slice(0, at), node) + right : evaluate(session, trimmed.slice(0, at), node) - right;
  }
  throw failure;
}
