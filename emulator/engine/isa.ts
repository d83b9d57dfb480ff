import {
  SPARC_REGS, UC_ARCH_SPARC, UC_ARCH_X86, UC_MODE_32, UC_MODE_64, UC_MODE_BIG_ENDIAN,
  UC_MODE_SPARC32, UC_MODE_SPARC64, X86_REGS, X86_VECTOR_REGS,
} from './constants.js';
import { ISAS, type IsaFacts, type IsaName } from '../../isa/index.js';

/** A repair a fresh engine of this ISA needs before any guest code runs. */
export type OpenRepair = 'prime-condition-codes' | 'reserve-invalid-window';

/** What the engine needs to know of an ISA: the shared facts, and Unicorn's own. */
export interface EngineIsa extends Pick<IsaFacts, 'name' | 'family' | 'wordBytes' | 'littleEndian'> {
  /** Smallest mapping Unicorn accepts for this ISA (`IsaFacts.pageBytes`). */
  readonly pageSize: number;
  readonly pcRegister: string;
  readonly spRegister: string;
  readonly arch: number;
  readonly mode: number;
  /**
   * Where every run stops at the latest: Unicorn stops before an instruction at `until`
   * without an error, so this must be an address no guest can execute (x86-64 can reach
   * every address: the engine reports reaching it as a fetch of unmapped memory).
   */
  readonly runStop: bigint;
  readonly registers: Readonly<Record<string, number>>;
  /** How many bytes of `uc_reg_read`'s output hold a register's value. */
  readonly registerBytes: 4 | 8;
  /** Registers of 16 bytes (SSE), read and written whole. */
  readonly vectorRegisters: readonly string[];
  /**
   * Whether `uc_context_save` keeps the CPU state: Unicorn 2.0.1's sparc64 contexts are
   * empty (tests/engine/unicorn-quirks.test.ts, "sparc64 saves an empty context").
   */
  readonly savesContext: boolean;
  readonly openRepairs: readonly OpenRepair[];
  /** Registers shown in reports and debuggers, in display order. */
  readonly displayRegisters: readonly string[];
}

type UnicornFacts = Omit<EngineIsa, keyof Pick<IsaFacts, 'name' | 'family' | 'wordBytes' | 'littleEndian'> |
  'pageSize' | 'pcRegister' | 'spRegister'>;

function engineIsa(name: IsaName, unicorn: UnicornFacts): EngineIsa {
  const facts = ISAS[name];
  return {
    name, family: facts.family, wordBytes: facts.wordBytes, littleEndian: facts.littleEndian,
    pageSize: facts.pageBytes, pcRegister: facts.registers.pc, spRegister: facts.registers.sp, ...unicorn,
  };
}

const X86_32_DISPLAY = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip', 'eflags'];
const X86_64_DISPLAY = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'eflags',
];
const SPARC_DISPLAY = [
  ...['g', 'o', 'l', 'i'].flatMap((bank) => Array.from({ length: 8 }, (_, i) => `${bank}${i}`)),
  'y', 'pc',
];

export const ENGINE_ISAS: Readonly<Record<IsaName, EngineIsa>> = {
  'x86-32': engineIsa('x86-32', {
    arch: UC_ARCH_X86, mode: UC_MODE_32,
    // EIP holds 32 bits: 2^32 is no pc.
    runStop: 1n << 32n, registers: X86_REGS, registerBytes: 8, vectorRegisters: X86_VECTOR_REGS, savesContext: true,
    openRepairs: [], displayRegisters: X86_32_DISPLAY,
  }),
  'x86-64': engineIsa('x86-64', {
    arch: UC_ARCH_X86, mode: UC_MODE_64,
    // Non-canonical and far from any mapping (Unicorn does not check canonical form).
    runStop: 1n << 63n, registers: X86_REGS, registerBytes: 8, vectorRegisters: X86_VECTOR_REGS, savesContext: true,
    openRepairs: [], displayRegisters: X86_64_DISPLAY,
  }),
  sparc32: engineIsa('sparc32', {
    arch: UC_ARCH_SPARC, mode: UC_MODE_SPARC32 | UC_MODE_BIG_ENDIAN,
    // SPARC pcs are word-aligned: 2 is no pc, and nothing is mapped beside it.
    runStop: 2n, registers: SPARC_REGS, registerBytes: 4, vectorRegisters: [], savesContext: true,
    openRepairs: ['prime-condition-codes', 'reserve-invalid-window'], displayRegisters: SPARC_DISPLAY,
  }),
  sparc64: engineIsa('sparc64', {
    arch: UC_ARCH_SPARC, mode: UC_MODE_SPARC64 | UC_MODE_BIG_ENDIAN,
    runStop: 2n, registers: SPARC_REGS, registerBytes: 8, vectorRegisters: [], savesContext: false,
    openRepairs: ['prime-condition-codes'], displayRegisters: SPARC_DISPLAY,
  }),
};
