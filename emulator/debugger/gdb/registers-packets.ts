import { fromHex, parseHexNumber } from './hex.js';
import { E_MALFORMED, E_NOT_FOUND, E_UNSUPPORTED } from './errors.js';
import { registerHex, registerOffsets, writeRegister } from './register-access.js';
import type { GdbTarget } from './target.js';

/** `g`: every register of the general thread, in the layout's order. */
export function readAll(target: GdbTarget): string {
  const layout = target.layout();
  const core = target.core();
  return layout.registers.map((reg) => registerHex(core, layout, reg)).join('');
}

/**
 * `G XX...`: every register. A new pc moves the core, as `P` does; an npc other than the
 * instruction after the (new) pc refuses the packet before any other register is written.
 * Unavailable registers are ignored; a register Unicorn refuses makes the reply an error
 * once the others are written.
 */
export function writeAll(target: GdbTarget, hex: string): string {
  const layout = target.layout();
  const core = target.core();
  const { offsets, total } = registerOffsets(layout);
  const bytes = fromHex(hex);
  if (!bytes || bytes.length !== total) return E_MALFORMED;
  const values = layout.registers.map((reg, i) => bytes.subarray(offsets[i], offsets[i]! + reg.bits / 8));
  // The pc before the npc, which is checked against it, and both before the engine's.
  const pcRefused = layout.registers.some((reg, i) => (reg.source.kind === 'pc' || reg.source.kind === 'npc')
    && !writeRegister(core, layout, reg, values[i]!, changed(target)));
  if (pcRefused) return E_UNSUPPORTED;
  const refused = layout.registers.filter((reg, i) => reg.source.kind === 'engine' && !writeRegister(core, layout, reg, values[i]!, changed(target)));
  return refused.length === 0 ? 'OK' : E_UNSUPPORTED;
}

/** gdb wrote a register: the run is not one the session's history can go back in. */
function changed(target: GdbTarget): () => void {
  return () => target.session.changedByHand('a register written by gdb');
}

/** `p N`: one register by gdb's number. */
export function readOne(target: GdbTarget, text: string): string {
  const regnum = parseHexNumber(text);
  if (regnum === undefined) return E_MALFORMED;
  const layout = target.layout();
  const reg = layout.registers[regnum];
  return reg ? registerHex(target.core(), layout, reg) : E_NOT_FOUND;
}

/** `P N=XX...`: one register. */
export function writeOne(target: GdbTarget, text: string): string {
  const [number, value, ...rest] = text.split('=');
  const regnum = parseHexNumber(number ?? '');
  const bytes = fromHex(value ?? '');
  if (regnum === undefined || !bytes || rest.length > 0) return E_MALFORMED;
  const layout = target.layout();
  const reg = layout.registers[regnum];
  if (!reg) return E_NOT_FOUND;
  if (bytes.length !== reg.bits / 8) return E_MALFORMED;
  return writeRegister(target.core(), layout, reg, bytes, changed(target)) ? 'OK' : E_UNSUPPORTED;
}
