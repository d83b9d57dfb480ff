import { ISAS, unreachable } from '../../../isa/index.js';
import { UnicornError } from '../../engine/index.js';
import type { Core } from '../../machine/index.js';
import { bytesToValue, toHex, valueToBytes } from './hex.js';
import type { RegisterSpec, TargetLayout } from './layout.js';

/** The npc gdb sees (only SPARC layouts have one): in a delay slot, where the slot leads. */
function nextPc(core: Core): bigint {
  return BigInt(core.debuggerPc().npc);
}

/** A register's bytes in target order; undefined when the emulator does not have it. */
function readRegister(core: Core, layout: TargetLayout, reg: RegisterSpec): Uint8Array | undefined {
  const bytes = reg.bits / 8;
  const source = reg.source;
  switch (source.kind) {
    case 'engine': return valueToBytes(core.readRegister(source.name), bytes, layout.littleEndian);
    case 'pc': return valueToBytes(BigInt(core.debuggerPc().pc), bytes, layout.littleEndian);
    case 'npc': return valueToBytes(nextPc(core), bytes, layout.littleEndian);
    case 'none': return undefined;
    default: return unreachable(source);
  }
}

/** A register as the g and p packets carry it: hex, or 'xx' per byte when unavailable. */
export function registerHex(core: Core, layout: TargetLayout, reg: RegisterSpec): string {
  const bytes = readRegister(core, layout, reg);
  return bytes ? toHex(bytes) : 'xx'.repeat(reg.bits / 8);
}

/**
 * Writes a register; false when it cannot be written. A register keeping its value is
 * not written: gdb's G rewrites them all, and Unicorn refuses some writes (a null code
 * segment in protected mode). Writing pc moves the core (gdb's `jump`); npc follows pc
 * on our cores, so it accepts only the address of the instruction after pc. `changed`
 * hears of a register that took a new value.
 */
export function writeRegister(core: Core, layout: TargetLayout, reg: RegisterSpec, bytes: Uint8Array, changed: () => void): boolean {
  const value = bytesToValue(bytes, layout.littleEndian);
  const source = reg.source;
  switch (source.kind) {
    case 'engine':
      if (value === BigInt.asUintN(reg.bits, core.readRegister(source.name))) return true;
      // %g0 reads 0 whatever is written; Unicorn would keep the write.
      if (source.name === ISAS[core.isa].registers.zero) return false;
      try {
        core.writeRegister(source.name, value);
        changed();
        return true;
      } catch (error) {
        if (error instanceof UnicornError) return false;
        throw error;
      }
    case 'pc':
      if (value !== BigInt(core.debuggerPc().pc)) {
        core.setPc(Number(value));
        changed();
      }
      return true;
    case 'npc': return value === nextPc(core);
    case 'none': return false;
    default: return unreachable(source);
  }
}

/** Byte offset of each register in the g packet, and the packet's byte length. */
export function registerOffsets(layout: TargetLayout): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const reg of layout.registers) {
    offsets.push(total);
    total += reg.bits / 8;
  }
  return { offsets, total };
}
