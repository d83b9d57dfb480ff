import { LinkError, LINKAGE_REGISTER, linkTraps, type Linker } from '../linker/index.js';
import { ISAS, type IsaName } from '../isa/index.js';
import type { GuestCore, TrapResult } from './guest-core.js';
import { trapVector } from './syscall-abi.js';

/** Virtual cycles the kernel charges for linking a module on a fail-safe trap. */
export const LINK_RESOLVE_CYCLES = 2000;
const X86_CALL_BYTES = 5;

export type LinkTrap = 'resolve' | 'refuse';

export function linkTrapKind(isa: IsaName, intno: number): LinkTrap | undefined {
  const traps = linkTraps(isa);
  if (intno === trapVector(isa, traps.resolve)) return 'resolve';
  if (intno === trapVector(isa, traps.refuse)) return 'refuse';
  return undefined;
}

/** The call site that led into the mediator: the caller's return address, less the call. */
function callSite(core: GuestCore): number {
  if (ISAS[core.isa].family === 'sparc') return Number(core.readRegister('o7') & 0xffff_ffffn);
  const sp = Number(core.readRegister(core.isa === 'x86-64' ? 'rsp' : 'esp'));
  const bytes = core.readMemory(sp, core.isa === 'x86-64' ? 8 : 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const returnAddress = core.isa === 'x86-64' ? Number(view.getBigUint64(0, true)) : view.getUint32(0, true);
  return returnAddress - X86_CALL_BYTES;
}

/** Serves the mediator's traps: fail-safe links and refused calls. */
export function serveLinkTrap(kind: LinkTrap, core: GuestCore, linker: Linker): TrapResult {
  const index = Number(core.readRegister(LINKAGE_REGISTER[core.isa]) & 0xffffn);
  const at = () => `0x${callSite(core).toString(16)}`;
  try {
    if (kind === 'refuse') {
      const entry = linker.entryAt(index);
      return fault(`call to ${entry.symbol} from ${entry.caller} at pc ${at()} refused by the mediator (access restriction)`);
    }
    const resolution = linker.resolve(index);
    if (!resolution.linked) {
      return fault(`unresolved symbol ${resolution.symbol} called from ${resolution.caller} at pc ${at()}`);
    }
    // The core stops here so every core, this one included, drops the old code before
    // it runs again; it then goes on through the mediator's table to the new target.
    return { outcome: { action: 'yield' }, cycles: LINK_RESOLVE_CYCLES };
  } catch (error) {
    if (error instanceof LinkError) return fault(`linker: ${error.message}`);
    throw error;
  }
}

function fault(reason: string): TrapResult {
  return { outcome: { action: 'fault', reason }, cycles: 0 };
}
