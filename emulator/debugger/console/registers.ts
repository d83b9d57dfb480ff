import { ENGINE_ISAS } from '../../engine/index.js';
import type { Core } from '../../machine/index.js';
import { ISAS, type IsaName } from '../../../isa/index.js';
import { hex } from './format.js';

/**
 * Whether a name in the engine's register map is a register of the ISA. Unicorn's x86 map
 * serves both widths, so its 64-bit names (rax..r15, rip: the only ones that start with
 * 'r') are no registers of x86-32; every other map names only its ISA's registers.
 */
const HAS_REGISTER: Readonly<Record<IsaName, (name: string) => boolean>> = {
  'x86-32': (name) => !name.startsWith('r'),
  'x86-64': () => true,
  sparc32: () => true,
  sparc64: () => true,
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

/** A register value as word-wide hex. */
export function formatRegister(core: Core, value: bigint): string {
  return hex(value, ISAS[core.isa].wordBytes * 2);
}
