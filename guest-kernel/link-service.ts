import { LinkError, LINKAGE_REGISTER, linkTraps, type Linker } from '../linker/index.js';
import { ISAS, trapVector, unreachable, type IsaFamily, type IsaName } from '../isa/index.js';
import type { GuestCore, TrapResult } from './guest-core.js';

/** Virtual cycles the kernel charges for linking a module on a fail-safe trap. */
export const LINK_RESOLVE_CYCLES = 2000;

/**
 * Bytes from a call instruction to the return address it leaves: x86's `call rel32`
 * leaves the next instruction's address, SPARC's `call` its own address in %o7.
 */
const CALL_TO_RETURN_ADDRESS: Readonly<Record<IsaFamily, number>> = { x86: 5, sparc: 0 };

export type LinkTrap = 'resolve' | 'refuse';

export function linkTrapKind(isa: IsaName, intno: number): LinkTrap | undefined {
  const traps = linkTraps(isa);
  if (intno === trapVector(isa, traps.resolve)) return 'resolve';
  if (intno === trapVector(isa, traps.refuse)) return 'refuse';
  return undefined;
}

/** The call site that led into the mediator: the caller's return address, less the call. */
function callSite(core: GuestCore): number {
  return returnAddress(core) - CALL_TO_RETURN_ADDRESS[ISAS[core.isa].family];
}

function returnAddress(core: GuestCore): number {
  const { registers, wordBytes, littleEndian } = ISAS[core.isa];
  // Guest code lies below 4 GiB: the register's low half is the address (sparc64's %o7 is 64 bits wide).
  if (registers.returnAddress !== 'stack') return Number(core.readRegister(registers.returnAddress) & 0xffff_ffffn);
  const bytes = core.readMemory(Number(core.readRegister(registers.sp)), wordBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return wordBytes === 8 ? Number(view.getBigUint64(0, littleEndian)) : view.getUint32(0, littleEndian);
}

/** Serves the mediator's traps: fail-safe links and refused calls. */
export function serveLinkTrap(kind: LinkTrap, core: GuestCore, linker: Linker): TrapResult {
  const index = Number(core.readRegister(LINKAGE_REGISTER[core.isa]) & 0xffffn);
  const at = () => `0x${callSite(core).toString(16)}`;
  try {
    switch (kind) {
      case 'refuse': {
        const entry = linker.entryAt(index);
        return fault(`call to ${entry.symbol} from ${entry.caller} at pc ${at()} refused by the mediator (access restriction)`);
      }
      case 'resolve': {
        const resolution = linker.resolve(index);
        if (!resolution.linked) {
          return fault(`unresolved symbol ${resolution.symbol} called from ${resolution.caller} at pc ${at()}`);
        }
        // The core stops here so every core, this one included, drops the old code before
        // it runs again; it then goes on through the mediator's table to the new target.
        return { outcome: { action: 'yield' }, cycles: LINK_RESOLVE_CYCLES };
      }
      default:
        return unreachable(kind);
    }
  } catch (error) {
    if (error instanceof LinkError) return fault(`linker: ${error.message}`);
    throw error;
  }
}

function fault(reason: string): TrapResult {
  return { outcome: { action: 'fault', reason }, cycles: 0 };
}
