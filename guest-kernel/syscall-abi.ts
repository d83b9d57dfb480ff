import type { IsaName } from '../isa/index.js';

// One syscall table for both ISAs (README, "Trap ABI"): x86 `int 0x80` with the number
// in eax/rax; SPARC `ta 0x10` with the number in %g1. Results come back in the first
// result register; a 64-bit result on a 32-bit ISA is split low/high over two.

export interface SyscallAbi {
  readonly numberRegister: string;
  readonly argumentRegisters: readonly string[];
  readonly resultRegisters: readonly [string, string];
  /** Unicorn's interrupt number for the syscall trap. */
  readonly syscallVector: number;
}

export const SPARC_SYSCALL_TRAP = 0x10;

export const SYSCALL_ABIS: Readonly<Record<IsaName, SyscallAbi>> = {
  'x86-32': {
    numberRegister: 'eax', argumentRegisters: ['ebx', 'ecx', 'edx', 'esi'],
    resultRegisters: ['eax', 'edx'], syscallVector: 0x80,
  },
  'x86-64': {
    numberRegister: 'rax', argumentRegisters: ['rdi', 'rsi', 'rdx', 'r10'],
    resultRegisters: ['rax', 'rdx'], syscallVector: 0x80,
  },
  // Unicorn reports `ta N` as interrupt 0x80 + N on sparc32 and 0x100 + N on sparc64.
  sparc32: {
    numberRegister: 'g1', argumentRegisters: ['o0', 'o1', 'o2', 'o3'],
    resultRegisters: ['o0', 'o1'], syscallVector: trapVector('sparc32', SPARC_SYSCALL_TRAP),
  },
  sparc64: {
    numberRegister: 'g1', argumentRegisters: ['o0', 'o1', 'o2', 'o3'],
    resultRegisters: ['o0', 'o1'], syscallVector: trapVector('sparc64', SPARC_SYSCALL_TRAP),
  },
};

/** Unicorn's interrupt number for trap `number`: x86 `int N`, SPARC `ta N`. */
export function trapVector(isa: IsaName, number: number): number {
  if (isa === 'sparc32') return 0x80 + number;
  if (isa === 'sparc64') return 0x100 + number;
  return number;
}

/** Whether a result fits one register, or is split over two on 32-bit ISAs. */
export function splitsWideResults(isa: IsaName): boolean {
  return !isa.endsWith('64');
}

