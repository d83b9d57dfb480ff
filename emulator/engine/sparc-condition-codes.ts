import { UC_ERR_EXCEPTION, UC_PROT_ALL } from './constants.js';
import { UnicornError } from './errors.js';
import type { EngineIsa } from './isa.js';
import type { UcHandle, Unicorn } from './native.js';

// Unicorn 2.0.1 opens a SPARC engine with no valid lazy condition-code state: the first
// instruction that reads %icc/%xcc before one sets them (bne, addx, tne) calls a null
// helper in helper_compute_psr and kills the host with SIGSEGV. Writing %icc does not
// repair it; executing one flag-setting instruction does, and the state then lasts for
// the engine's life (register writes and context restores keep it). So every SPARC
// engine runs `subcc %g0, %g0, %g0` once when it opens, before any guest code, at an
// address the machine never maps: no guest instruction is spent and no path into guest
// code (firmware, a debugger moving the pc, a rolled-back transaction) can skip it.

const SUBCC_G0_G0_G0 = 0x80a00000;
const TA_0X10 = 0x91d02010;
const PRIME_ADDRESS = 0;

/** Throws a UnicornError when a step fails; the caller closes the engine. */
export function primeConditionCodes(uc: Unicorn, handle: UcHandle, isa: EngineIsa): void {
  const check = (operation: string, code: number) => {
    if (code !== 0) throw new UnicornError(`${operation} (priming condition codes)`, code, uc.strerror(code) as string);
  };
  const words = Buffer.alloc(8);
  words.writeUInt32BE(SUBCC_G0_G0_G0, 0);
  words.writeUInt32BE(TA_0X10, 4);
  check('uc_mem_map', uc.memMap(handle, PRIME_ADDRESS, isa.pageSize, UC_PROT_ALL) as number);
  check('uc_mem_write', uc.memWrite(handle, PRIME_ADDRESS, words, words.length) as number);
  // The trap, which no hook serves yet, ends the run (UC_ERR_EXCEPTION). Neither a count
  // nor `until` may: Unicorn's count hook, once installed, costs a flush of every
  // translation (over a second on the first) when the next run drops it, and on sparc64
  // a run from 0 until 4 never stops.
  const code = uc.emuStart(handle, PRIME_ADDRESS, isa.runStop, 0, 0) as number;
  if (code !== UC_ERR_EXCEPTION) check('uc_emu_start', code === 0 ? UC_ERR_EXCEPTION : code);
  check('uc_mem_unmap', uc.memUnmap(handle, PRIME_ADDRESS, isa.pageSize) as number);
}
