// Every fact about an instruction set that more than one folder needs, in one record the
// compiler checks. The engine, the linker, the guest kernel, the machine and the
// debugger read these facts instead of guessing from an ISA's name, and each table
// elsewhere that differs per ISA is a `Record<IsaName, ...>` or an exhaustive switch.
//
// Adding an ISA
// -------------
// 1. Add its name to `ISA_NAMES` and its record to `ISAS` below.
// 2. Run `make typecheck`. The compiler names every table that has no entry for it;
//    tests/architecture/new-isa.test.ts adds a fake ISA in a scratch copy and pins this list:
//    - emulator/engine/isa.ts: Unicorn's arch, mode and register ids, the run stop;
//    - linker/toolchain/assembler-dialect.ts: keystone's arch and mode, label directives;
//    - linker/toolchain/keystone-pitfalls.ts: what keystone mis-assembles for it;
//    - linker/toolchain/disassembler.ts: capstone's arch and mode;
//    - linker/encoders/registry.ts: the call-site and trampoline encoder;
//    - linker/mediator/mediator-abi.ts: the linkage register, trap numbers, target width;
//    - linker/mediator/mediator.ts: which `.s` in linker/mediator/ is its mediator;
//    - linker/toolchain/c-compiler.ts: its gcc cross compiler and flags;
//    - linker/modules/compile-c-module.ts: the ELF machines of its objects;
//    - guest-kernel/syscall-abi.ts: the syscall trap and registers;
//    - guest-kernel/exceptions.ts: the names of its CPU exceptions;
//    - emulator/debugger/gdb/target-xml.ts: gdb's register layout;
//    - emulator/debugger/console/registers.ts: which engine registers it has;
//    - emulator/debugger/console/commands/stepping.ts: where a function returns its value;
//    - emulator/machine/core-state.ts: which engine registers a snapshot keeps.
//    The compiler cannot name these files: its boot code, firmware/<isa>.s (`_start`
//    and `_task_start`), and its guest libraries, images/lib/*-<flavour>.s.
// 3. Add the ISA to the per-ISA test tables (tests/support/guest-kit.ts) and run
//    `make test`.
//
// A fact belongs here when two folders need it; a fact only one folder needs (keystone's
// mode, Unicorn's register ids) lives in that folder, in a table over `IsaName`.

export const ISA_NAMES = ['x86-32', 'x86-64', 'sparc32', 'sparc64'] as const;
export type IsaName = (typeof ISA_NAMES)[number];

export type IsaFamily = 'x86' | 'sparc';

export interface IsaFacts {
  readonly name: IsaName;
  readonly family: IsaFamily;
  /** The assembly syntax keystone takes and capstone prints for it. */
  readonly dialect: 'intel' | 'sparc-v8' | 'sparc-v9';
  readonly wordBytes: 4 | 8;
  readonly littleEndian: boolean;
  /** e_machine of its ELF files (the psABI numbers: EM_386 3, EM_X86_64 62, EM_SPARC 2, EM_SPARCV9 43). */
  readonly elfMachine: 2 | 3 | 43 | 62;
  /** Smallest mapping Unicorn accepts (8 KiB on sparc64: `uc_mem_map` of 4 KiB fails with UC_ERR_ARG). */
  readonly pageBytes: number;
  /** Every instruction starts at a multiple of this. */
  readonly instructionAlign: 1 | 4;
  readonly longestInstruction: number;
  /** Whether a taken transfer runs the instruction after it first (SPARC). */
  readonly delaySlots: boolean;
  /**
   * Where Unicorn leaves the pc when a trap instruction raises its interrupt: past it on
   * x86 (`int n` has already retired), on it on SPARC (the kernel resumes at pc + 4).
   */
  readonly pcAtTrap: 'after-trap' | 'on-trap';
  /** Unicorn reports trap instruction N (`int N`, `ta N`) as interrupt `trapBase + N`. */
  readonly trapBase: number;
  readonly registers: {
    readonly pc: string;
    readonly sp: string;
    /** Where a call leaves its return address: the top of the stack, or the register named. */
    readonly returnAddress: 'stack' | 'o7';
    /** The registers the machine sets at reset: the boot info block's address, the core id. */
    readonly bootInfo: string;
    readonly coreId: string;
    /** A register that always reads 0 (SPARC's %g0), which Unicorn nevertheless lets be written. */
    readonly zero?: string;
  };
}

export const ISAS: Readonly<Record<IsaName, IsaFacts>> = {
  'x86-32': {
    name: 'x86-32', elfMachine: 3, family: 'x86', dialect: 'intel', wordBytes: 4, littleEndian: true, pageBytes: 0x1000,
    instructionAlign: 1, longestInstruction: 15, delaySlots: false, pcAtTrap: 'after-trap', trapBase: 0,
    registers: { pc: 'eip', sp: 'esp', returnAddress: 'stack', bootInfo: 'esi', coreId: 'edi' },
  },
  'x86-64': {
    name: 'x86-64', elfMachine: 62, family: 'x86', dialect: 'intel', wordBytes: 8, littleEndian: true, pageBytes: 0x1000,
    instructionAlign: 1, longestInstruction: 15, delaySlots: false, pcAtTrap: 'after-trap', trapBase: 0,
    registers: { pc: 'rip', sp: 'rsp', returnAddress: 'stack', bootInfo: 'rsi', coreId: 'rdi' },
  },
  sparc32: {
    name: 'sparc32', elfMachine: 2, family: 'sparc', dialect: 'sparc-v8', wordBytes: 4, littleEndian: false, pageBytes: 0x1000,
    instructionAlign: 4, longestInstruction: 4, delaySlots: true, pcAtTrap: 'on-trap', trapBase: 0x80,
    registers: { pc: 'pc', sp: 'sp', returnAddress: 'o7', bootInfo: 'g2', coreId: 'g3', zero: 'g0' },
  },
  sparc64: {
    name: 'sparc64', elfMachine: 43, family: 'sparc', dialect: 'sparc-v9', wordBytes: 8, littleEndian: false, pageBytes: 0x2000,
    instructionAlign: 4, longestInstruction: 4, delaySlots: true, pcAtTrap: 'on-trap', trapBase: 0x100,
    registers: { pc: 'pc', sp: 'sp', returnAddress: 'o7', bootInfo: 'g2', coreId: 'g3', zero: 'g0' },
  },
};

/** Unicorn's interrupt number for trap instruction `number`: x86 `int N`, SPARC `ta N`. */
export function trapVector(isa: IsaName, number: number): number {
  return ISAS[isa].trapBase + number;
}

/** Where execution goes on after the trap instruction whose interrupt left the pc at `pc`. */
export function pcAfterTrap(isa: IsaName, pc: number): number {
  const facts = ISAS[isa];
  switch (facts.pcAtTrap) {
    case 'after-trap': return pc;
    case 'on-trap': return pc + facts.longestInstruction;
    default: return unreachable(facts.pcAtTrap);
  }
}

/** Closes an exhaustive switch: the compiler rejects the call when a case is missing. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}
