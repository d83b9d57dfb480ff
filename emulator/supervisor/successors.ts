import { ISAS, unreachable } from '../../isa/index.js';
import type { Core } from '../machine/index.js';

/** Bytes of code read at each place the next block may start: enough for one block. */
const WINDOW_BYTES = 64;

function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** The target of a SPARC control transfer at `pc`, when it has one the core can compute. */
function sparcTarget(core: Core, pc: number, word: number): number | undefined {
  const op = word >>> 30;
  if (op === 1) return pc + signExtend(word & 0x3fffffff, 30) * 4; // call
  if (op === 0) {
    const op2 = (word >>> 22) & 7;
    if (op2 === 2 || op2 === 6) return pc + signExtend(word & 0x3fffff, 22) * 4; // Bicc, FBfcc
    if (op2 === 1 || op2 === 5) return pc + signExtend(word & 0x7ffff, 19) * 4; // BPcc, FBPfcc
    if (op2 === 3) return pc + signExtend((((word >>> 20) & 3) << 14) | (word & 0x3fff), 16) * 4; // BPr
    return undefined;
  }
  const op3 = (word >>> 19) & 0x3f;
  if (op !== 2 || (op3 !== 0x38 && op3 !== 0x39)) return undefined; // jmpl, return
  const rs1 = (word >>> 14) & 31;
  const offset = (word >>> 13) & 1 ? signExtend(word & 0x1fff, 13) : Number(readSparcRegister(core, word & 31));
  return Number((readSparcRegister(core, rs1) + BigInt(offset)) & 0xffffffffffffffffn);
}

const SPARC_REGISTER_GROUPS = ['g', 'o', 'l', 'i'] as const;

function readSparcRegister(core: Core, index: number): bigint {
  return index === 0 ? 0n : core.readRegister(`${SPARC_REGISTER_GROUPS[index >> 3]}${index & 7}`);
}

/** Where the control transfer at `pc` goes, when the core can tell without running it. */
function transferTarget(core: Core, pc: number): number | undefined {
  const family = ISAS[core.isa].family;
  switch (family) {
    case 'sparc': return sparcTarget(core, pc, Buffer.from(core.readMemory(pc, 4)).readUInt32BE(0));
    // x86 transfers are not decoded: the probe translates the block at the pc alone.
    case 'x86': return undefined;
    default: return unreachable(family);
  }
}

/**
 * Where the code the core runs after the instruction at its pc may start: the
 * instruction itself, the next ones, and a SPARC branch, call or jump target. The
 * engine crashed translating one of these blocks.
 */
export function nextBlocks(core: Core): { address: number; bytes: string }[] {
  const pc = core.pc;
  const target = transferTarget(core, pc);
  const addresses = target === undefined ? [pc] : [target, pc];
  return addresses.flatMap((address) => {
    try {
      return [{ address, bytes: Buffer.from(core.readMemory(address, WINDOW_BYTES)).toString('hex') }];
    } catch {
      return [];
    }
  });
}
