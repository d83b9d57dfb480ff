import type { Core } from '../../machine/index.js';
import type { Disassembler } from '../../../linker/index.js';
import { ISAS } from '../../../isa/index.js';
import type { CodeMap } from './code-map.js';
import { hex } from './format.js';
import { readUpTo } from './memory.js';

export interface Instruction {
  readonly address: number;
  /** Bytes it takes (the ISA's alignment where the bytes decode to nothing). */
  readonly size: number;
  /** Capstone's mnemonic and operands; '' where the bytes decode to nothing. */
  readonly mnemonic: string;
  readonly operands: string;
  /** Mnemonic and operands, or `.byte ...` where the bytes decode to nothing. */
  readonly text: string;
  /** The operand when it is one address (a call or branch target, say). */
  readonly target: number | undefined;
}

/**
 * Longest instruction of the core's ISA, and the step past bytes that decode to nothing:
 * the instruction alignment, the next place an instruction can start.
 */
function widths(core: Core): { longest: number; undecodable: number } {
  const facts = ISAS[core.isa];
  return { longest: facts.longestInstruction, undecodable: facts.instructionAlign };
}

/** One instruction, or none where capstone cannot decode the bytes (capstone-js throws then). */
function decodeOne(core: Core, disassembler: Disassembler, bytes: Uint8Array, address: number) {
  try {
    return disassembler.disassemble(core.isa, bytes, address, 1)[0];
  } catch {
    return undefined;
  }
}

/** Decodes `count` instructions from `address` in the memory `core` sees. */
export function decode(core: Core, disassembler: Disassembler, address: number, count: number): Instruction[] {
  const { longest, undecodable } = widths(core);
  const bytes = readUpTo(core, address, count * longest, undecodable);
  const out: Instruction[] = [];
  let offset = 0;
  while (out.length < count && offset + undecodable <= bytes.length) {
    const at = address + offset;
    const insn = decodeOne(core, disassembler, bytes.subarray(offset, offset + longest), at);
    if (insn) {
      const text = insn.operands ? `${insn.mnemonic} ${insn.operands}` : insn.mnemonic;
      const target = /^0x[0-9a-f]+$/i.test(insn.operands) ? Number(insn.operands) : undefined;
      out.push({ address: at, size: insn.size, mnemonic: insn.mnemonic, operands: insn.operands, text, target });
      offset += insn.size;
    } else {
      // `.word 0x...` on SPARC (capstone 5 decodes no `std`), `.byte 0x..` on x86.
      const text = disassembler.describe(core.isa, bytes.subarray(offset, offset + undecodable), at);
      out.push({ address: at, size: undecodable, mnemonic: '', operands: '', text, target: undefined });
      offset += undecodable;
    }
  }
  return out;
}

/** How far back from the pc a listing decodes from its symbol's start. */
const MAX_LOOKBACK_BYTES = 1024;

/**
 * Up to `before` instructions that end exactly at `pc`, decoded from the start of the
 * symbol `pc` lies in (x86 cannot be decoded backwards); none when they do not line up.
 */
export function decodeBefore(core: Core, disassembler: Disassembler, map: CodeMap, pc: number, before: number): Instruction[] {
  const start = map.symbolAt(pc)?.start ?? pc;
  if (start === pc || pc - start > MAX_LOOKBACK_BYTES || before === 0) return [];
  // One instruction per smallest step up to the pc, and the one at the pc.
  const lines = decode(core, disassembler, start, Math.ceil((pc - start) / widths(core).undecodable) + 1);
  const at = lines.findIndex((line) => line.address >= pc);
  if (at < 0 || lines[at]!.address !== pc) return [];
  return lines.slice(Math.max(0, at - before), at);
}

/** One listing line: `=> 0x1100c0 <foo>:  call 0x1f0040 <trampoline:foo>  [trampoline foo]`. */
export function formatInstruction(map: CodeMap, insn: Instruction, current: boolean): string {
  const name = map.describe(insn.address);
  const where = name ? `${hex(insn.address)} <${name}>` : hex(insn.address);
  const targetName = insn.target === undefined ? undefined : map.describe(insn.target);
  const region = map.region(insn.address);
  return `${current ? '=>' : '  '} ${where}:  ${insn.text}${targetName ? ` <${targetName}>` : ''}${region ? `  [${region}]` : ''}`;
}
