import {
  SPARC_REGS, UC_ARCH_SPARC, UC_ARCH_X86, UC_MODE_32, UC_MODE_64, UC_MODE_BIG_ENDIAN,
  UC_MODE_SPARC32, UC_MODE_SPARC64, X86_REGS,
} from './constants.js';

import type { IsaName } from '../../isa/index.js';

export interface EngineIsa {
  readonly name: IsaName;
  readonly family: 'x86' | 'sparc';
  readonly arch: number;
  readonly mode: number;
  readonly wordBytes: 4 | 8;
  readonly littleEndian: boolean;
  /** Smallest mapping Unicorn accepts for this ISA (8 KiB on sparc64: `uc_mem_map` of 4 KiB fails there with UC_ERR_ARG). */
  readonly pageSize: number;
  /**
   * Where every run stops at the latest: Unicorn stops before an instruction at `until`
   * without an error, so this must be an address no guest can execute (x86-64 can reach
   * every address: the engine reports reaching it as a fetch of unmapped memory).
   */
  readonly runStop: bigint;
  readonly pcRegister: string;
  readonly spRegister: string;
  readonly registers: Readonly<Record<string, number>>;
  /** Registers shown in reports and debuggers, in display order. */
  readonly displayRegisters: readonly string[];
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
  'x86-32': {
    name: 'x86-32', family: 'x86', arch: UC_ARCH_X86, mode: UC_MODE_32, wordBytes: 4,
    // EIP holds 32 bits: 2^32 is no pc.
    littleEndian: true, pageSize: 0x1000, runStop: 1n << 32n, pcRegister: 'eip', spRegister: 'esp',
    registers: X86_REGS, displayRegisters: X86_32_DISPLAY,
  },
  'x86-64': {
    name: 'x86-64', family: 'x86', arch: UC_ARCH_X86, mode: UC_MODE_64, wordBytes: 8,
    // Non-canonical and far from any mapping (Unicorn does not check canonical form).
    littleEndian: true, pageSize: 0x1000, runStop: 1n << 63n, pcRegister: 'rip', spRegister: 'rsp',
    registers: X86_REGS, displayRegisters: X86_64_DISPLAY,
  },
  sparc32: {
    name: 'sparc32', family: 'sparc', arch: UC_ARCH_SPARC, mode: UC_MODE_SPARC32 | UC_MODE_BIG_ENDIAN,
    // SPARC pcs are word-aligned: 2 is no pc, and nothing is mapped beside it.
    wordBytes: 4, littleEndian: false, pageSize: 0x1000, runStop: 2n, pcRegister: 'pc', spRegister: 'sp',
    registers: SPARC_REGS, displayRegisters: SPARC_DISPLAY,
  },
  sparc64: {
    name: 'sparc64', family: 'sparc', arch: UC_ARCH_SPARC, mode: UC_MODE_SPARC64 | UC_MODE_BIG_ENDIAN,
    wordBytes: 8, littleEndian: false, pageSize: 0x2000, runStop: 2n, pcRegister: 'pc', spRegister: 'sp',
    registers: SPARC_REGS, displayRegisters: SPARC_DISPLAY,
  },
};
