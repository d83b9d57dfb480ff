import { ISAS, type IsaFamily, type IsaName } from '../../../isa/index.js';
import type { Instruction } from './disassembly.js';

/** What an instruction does to the flow of control, as `next`, `until` and `finish` need it. */
export type Flow = 'call' | 'return' | 'jump' | 'other';

/**
 * By capstone's mnemonics. x86: `call`, `ret`/`ret N`, `jmp`, the `jCC` and `loopCC`
 * families. SPARC: `call` (capstone's name for `jmpl` into %o7 too), the synthetic
 * `ret`/`retl` (jmpl %i7+8 / %o7+8 into %g0) and v9 `return`; `jmp` and every branch
 * (`ba`, `bne,a`, `brz,pt`, `fbl`, ...). Their bit-test synonyms (`btst`) are printed
 * by capstone as `andcc` and friends, so a leading `b` is a branch.
 */
const FLOWS: Readonly<Record<IsaFamily, (mnemonic: string) => Flow>> = {
  x86: (mnemonic) => {
    if (mnemonic === 'call') return 'call';
    if (mnemonic === 'ret' || mnemonic === 'retf') return 'return';
    return /^(j|loop)/.test(mnemonic) ? 'jump' : 'other';
  },
  sparc: (mnemonic) => {
    if (mnemonic === 'call') return 'call';
    if (mnemonic === 'ret' || mnemonic === 'retl' || mnemonic === 'return') return 'return';
    return /^(jmp|b|fb|cb)/.test(mnemonic) ? 'jump' : 'other';
  },
};

export function flowOf(isa: IsaName, insn: Instruction): Flow {
  return FLOWS[ISAS[isa].family](insn.mnemonic);
}

/** A jump's target when it names one: its last operand (`bne %icc, 0x11004c`, `jne 0x110020`). */
function jumpTarget(insn: Instruction): number | undefined {
  const last = /(?:^|,\s*)(0x[0-9a-f]+)$/i.exec(insn.operands);
  return last ? Number(last[1]) : undefined;
}

/** A jump back to an earlier address: a loop's closing branch. */
export function jumpsBack(isa: IsaName, insn: Instruction): boolean {
  const target = flowOf(isa, insn) === 'jump' ? jumpTarget(insn) : undefined;
  return target !== undefined && target <= insn.address;
}

/**
 * Where control goes on after `insn` when it does not transfer (a call's return
 * address, a branch's fall-through): past a SPARC transfer's delay slot too.
 */
export function fallThrough(isa: IsaName, insn: Instruction): number {
  const facts = ISAS[isa];
  return facts.delaySlots ? insn.address + 2 * facts.instructionAlign : insn.address + insn.size;
}
