import { ISAS, unreachable, type IsaName } from '../../isa/index.js';

const X86_INT_OPCODE = 0xcd;
/** One-byte x86 traps, by vector: Unicorn reports them with the pc after the instruction. */
const X86_ONE_BYTE_TRAPS: Readonly<Record<number, number>> = { 1: 0xf1, 3: 0xcc, 4: 0xce }; // int1, int3, into

/**
 * Where the instruction that raised interrupt `intno` starts, given the pc Unicorn left:
 * SPARC leaves it on `ta`; x86 reports `int n` (CD n), `int3`, `into` and `int1` from
 * the pc after them, faults (a division by zero) from their own pc.
 */
export function trapInstructionStart(isa: IsaName, ram: Buffer, ramBase: number, pc: number, intno: number): number {
  const family = ISAS[isa].family;
  switch (family) {
    case 'sparc': return pc;
    case 'x86': {
      const offset = pc - ramBase;
      if (offset >= 2 && offset <= ram.length && ram[offset - 2] === X86_INT_OPCODE && ram[offset - 1] === intno) return pc - 2;
      if (offset >= 1 && offset <= ram.length && ram[offset - 1] === X86_ONE_BYTE_TRAPS[intno]) return pc - 1;
      return pc;
    }
    default: return unreachable(family);
  }
}
