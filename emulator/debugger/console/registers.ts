import { ENGINE_ISAS } from '../../engine/index.js';
import type { Core } from '../../machine/index.js';
import type { IsaName } from '../../../isa/index.js';
import { hex } from './format.js';

/**
 * Registers of an ISA: the display set, or every one Unicorn names for it. The x86 map is
 * shared by both widths, so x86-32 leaves out the 64-bit names (rax..r15, rip).
 */
export function registerNames(isa: IsaName, all: boolean): string[] {
  const spec = ENGINE_ISAS[isa];
  if (!all) return [...spec.displayRegisters];
  const rest = Object.keys(spec.registers)
    .filter((name) => !spec.displayRegisters.includes(name) && !(isa === 'x86-32' && name.startsWith('r')));
  return [...spec.displayRegisters, ...rest];
}

/**
 * A register's value. The pc comes from the core, not the engine: at reset, after a
 * trap or at a debugger stop the engine's pc is not where the core resumes.
 */
export function readRegister(core: Core, name: string): bigint {
  return name === ENGINE_ISAS[core.isa].pcRegister ? BigInt(core.pc) : core.readRegister(name);
}

/** A register value as word-wide hex. */
export function formatRegister(core: Core, value: bigint): string {
  return hex(value, ENGINE_ISAS[core.isa].wordBytes * 2);
}
