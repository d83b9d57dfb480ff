import { ENGINE_ISAS } from '../../engine/index.js';
import type { Core } from '../../machine/index.js';
import { ISAS, type IsaName } from '../../../isa/index.js';
import { hex } from './format.js';

/**
 * Whether a name in the engine's register map is a register of the ISA. Unicorn's x86 map
 * serves both widths, so its 64-bit names (rax..r15, rip: the only ones that start with
 * 'r') and xmm8-xmm15 are no registers of x86-32. Unicorn 2's SPARC map has icc and xcc,
 * but they read 0 whatever the flags (tests/engine/unicorn-quirks.test.ts): shown, they
 * would lie, so they are left out.
 */
const HAS_REGISTER: Readonly<Record<IsaName, (name: string) => boolean>> = {
  'x86-32': (name) => !name.startsWith('r') && !/^xmm(8|9|1\d)$/.test(name),
  'x86-64': () => true,
  sparc32: (name) => name !== 'icc' && name !== 'xcc',
  sparc64: (name) => name !== 'icc' && name !== 'xcc',
};

/** Registers of the ISA that Unicorn does not let us read; asked for, they are named as such. */
export const UNAVAILABLE_REGISTERS: Readonly<Record<IsaName, readonly string[]>> = {
  'x86-32': [],
  'x86-64': [],
  sparc32: ['psr', 'wim', 'tbr'],
  sparc64: ['ccr', 'pstate', 'cwp'],
};

/** Registers of an ISA: the display set, or every one Unicorn names for it. */
export function registerNames(isa: IsaName, all: boolean): string[] {
  const spec = ENGINE_ISAS[isa];
  if (!all) return [...spec.displayRegisters];
  const rest = Object.keys(spec.registers)
    .filter((name) => !spec.displayRegisters.includes(name) && HAS_REGISTER[isa](name));
  return [...spec.displayRegisters, ...rest];
}

/**
 * A register's value. The pc comes from the core, not the engine: at reset, after a
 * trap or at a debugger stop the engine's pc is not where the core resumes.
 */
export function readRegister(core: Core, name: string): bigint {
  return name === ISAS[core.isa].registers.pc ? BigInt(core.pc) : core.readRegister(name);
}

/** A register's width: the ISA's word, or 128 bits for SSE registers. */
export function registerBits(isa: IsaName, name: string): number {
  return ENGINE_ISAS[isa].vectorRegisters.includes(name) ? 128 : ISAS[isa].wordBytes * 8;
}

/** A register value as hex of its width. */
export function formatRegister(core: Core, name: string, value: bigint): string {
  return hex(value, registerBits(core.isa, name) / 4);
}
