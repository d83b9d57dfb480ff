import { ISAS, trapVector, type IsaName } from '../isa/index.js';
import type { GuestCore } from './guest-core.js';

// One syscall table for every ISA (README, "Boot and trap ABI"): x86 `int 0x80` with the number
// in eax/rax; SPARC `ta 0x10` with the number in %g1. Results come back in the first
// result register; a 64-bit result on a 32-bit ISA is split low/high over two.

interface SyscallAbi {
  /** The N of the trap instruction (`int N`, `ta N`) that enters the kernel. */
  readonly trapNumber: number;
  readonly numberRegister: string;
  readonly argumentRegisters: readonly [string, string, string, string];
  readonly resultRegisters: readonly [string, string];
}

const SYSCALL_ABIS: Readonly<Record<IsaName, SyscallAbi>> = {
  'x86-32': {
    trapNumber: 0x80, numberRegister: 'eax', argumentRegisters: ['ebx', 'ecx', 'edx', 'esi'],
    resultRegisters: ['eax', 'edx'],
  },
  'x86-64': {
    trapNumber: 0x80, numberRegister: 'rax', argumentRegisters: ['rdi', 'rsi', 'rdx', 'r10'],
    resultRegisters: ['rax', 'rdx'],
  },
  sparc32: {
    trapNumber: 0x10, numberRegister: 'g1', argumentRegisters: ['o0', 'o1', 'o2', 'o3'],
    resultRegisters: ['o0', 'o1'],
  },
  sparc64: {
    trapNumber: 0x10, numberRegister: 'g1', argumentRegisters: ['o0', 'o1', 'o2', 'o3'],
    resultRegisters: ['o0', 'o1'],
  },
};

/** Whether Unicorn's interrupt `intno` is the ISA's syscall trap. */
export function isSyscallTrap(isa: IsaName, intno: number): boolean {
  return intno === trapVector(isa, SYSCALL_ABIS[isa].trapNumber);
}

/** What a syscall trap asks: its number and its four argument registers, read once. */
export interface SyscallRequest {
  readonly number: number;
  readonly arguments: readonly [bigint, bigint, bigint, bigint];
}

export function readSyscall(core: GuestCore): SyscallRequest {
  const abi = SYSCALL_ABIS[core.isa];
  const [a0, a1, a2, a3] = abi.argumentRegisters;
  return {
    number: Number(core.readRegister(abi.numberRegister) & 0xffff_ffffn),
    arguments: [core.readRegister(a0), core.readRegister(a1), core.readRegister(a2), core.readRegister(a3)],
  };
}

/**
 * Writes a syscall's result; only a `wide` (64-bit) one touches the second register, and
 * only on an ISA whose word cannot hold it.
 */
export function writeSyscallResult(core: GuestCore, value: bigint, wide = false): void {
  const [low, high] = SYSCALL_ABIS[core.isa].resultRegisters;
  if (wide && ISAS[core.isa].wordBytes < 8) {
    core.writeRegister(low, value & 0xffff_ffffn);
    core.writeRegister(high, (value >> 32n) & 0xffff_ffffn);
  } else {
    core.writeRegister(low, value);
  }
}
