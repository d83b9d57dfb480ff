// Per-ISA facts and snippets the test guests share: where the guest libraries are, the
// syscall trap of each ISA, a program that returns 0, and guest RAM in guest byte order.
// The syscall numbers themselves are the kernel's (guest-kernel SYSCALLS): the loader
// hands them to every source as the SYS_* symbols, so a test names them, never numbers.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISAS, type IsaName } from '../../isa/index.js';
import type { SYSCALLS } from '../../guest-kernel/index.js';

/** The repository root: the CLI runs with this as its working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const isSparc = (isa: IsaName): boolean => ISAS[isa].family === 'sparc';

/** The suffix of an ISA's guest library files: images/lib/<kind>-<flavour>.s. */
export type LibFlavour = 'x86-32' | 'x86-64' | 'sparc';
const LIB_FLAVOUR: Readonly<Record<IsaName, LibFlavour>> = {
  'x86-32': 'x86-32', 'x86-64': 'x86-64', sparc32: 'sparc', sparc64: 'sparc',
};

/** The source one assembly-language flavour of the guests is written in. */
export const flavourOf = (isa: IsaName): LibFlavour => LIB_FLAVOUR[isa];

/** A guest library routine file (chan_*, tx_*, print_decimal), by absolute path. */
export function libSource(kind: 'chan' | 'tx' | 'print', isa: IsaName): string {
  return join(REPO_ROOT, 'images', 'lib', `${kind}-${LIB_FLAVOUR[isa]}.s`);
}

type SyscallName = keyof typeof SYSCALLS;

/** The number register and trap of one syscall; its arguments are set before it. */
const SYSCALL_TRAP: Readonly<Record<IsaName, (name: SyscallName) => string>> = {
  'x86-32': (name) => `    mov   eax, ${name}\n    int   0x80\n`,
  'x86-64': (name) => `    mov   eax, ${name}\n    int   0x80\n`,
  sparc32: (name) => `    mov   ${name}, %g1\n    ta    0x10\n`,
  sparc64: (name) => `    mov   ${name}, %g1\n    ta    0x10\n`,
};

export const syscall = (isa: IsaName, name: SyscallName): string => SYSCALL_TRAP[isa](name);

/** A program per ISA that returns 0 at once: images that only test their fields. */
export const RETURN_ZERO: Readonly<Record<string, string>> = {
  'x86-32': 'main:\n    xor eax, eax\n    ret\n',
  'x86-64': 'main:\n    xor eax, eax\n    ret\n',
  sparc32: 'main:\n    retl\n     mov 0, %o0\n',
  sparc64: 'main:\n    retl\n     mov 0, %o0\n',
};

/** A 32-bit word of guest RAM at `offset`, in the ISA's byte order. */
export function guestWord(ram: Buffer, isa: IsaName, offset: number): number {
  return ISAS[isa].littleEndian ? ram.readUInt32LE(offset) : ram.readUInt32BE(offset);
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
