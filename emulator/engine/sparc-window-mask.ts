import koffi from 'koffi';
import { UC_ARCH_SPARC, UC_MODE_BIG_ENDIAN, UC_MODE_SPARC32, UC_PROT_ALL } from './constants.js';
import { UnicornError } from './errors.js';
import { loadUnicorn, type UcHandle, type Unicorn } from './native.js';

// Unicorn 2.0.1 opens a sparc32 engine without the CPU reset that sets WIM, the window
// invalid mask, and offers no register to write it (nor supervisor mode to `wr %wim`).
// With WIM = 0 a `save` never traps: the eighth nested one wraps onto the caller's
// window and corrupts its registers without a word. WIM sits right after CWP in the
// CPU state a context holds, so the machine finds CWP's offset once per process (run
// saves, see which word counts down) and writes WIM through a context restore. Bit 1
// marks window 1 invalid: from window 0, where the firmware runs, a program may nest
// six saves; the next one traps (TT_WIN_OVF, 5), and a restore past window 0
// traps too (TT_WIN_UNF, 6). Both reach the interrupt hook at no cost per instruction.

const INVALID_WINDOW_MASK = 1 << 1;
const SAVE = 0x9de3bfa0; // save %sp, -96, %sp
const PROBE_ADDRESS = 0x1000;

let cwpOffset: number | undefined;

function snapshot(uc: Unicorn, handle: UcHandle, size: number): Uint32Array {
  const context = [null as unknown];
  uc.contextAlloc(handle, context);
  uc.contextSave(handle, context[0]);
  const words = new Uint32Array(koffi.view(context[0], size).slice(0));
  uc.contextFree(context[0]);
  return words;
}

/** CWP's byte offset in a sparc32 context: the word that reads 0, 7, 6 over two saves. */
function locateCwp(uc: Unicorn): number {
  const out = [null as UcHandle];
  if (uc.open(UC_ARCH_SPARC, UC_MODE_SPARC32 | UC_MODE_BIG_ENDIAN, out) !== 0) {
    throw new Error('cannot open a sparc32 engine to find its register window state');
  }
  const handle = out[0];
  try {
    const code = Buffer.alloc(8);
    code.writeUInt32BE(SAVE, 0);
    code.writeUInt32BE(SAVE, 4);
    uc.memMap(handle, PROBE_ADDRESS, 0x1000, UC_PROT_ALL);
    uc.memWrite(handle, PROBE_ADDRESS, code, code.length);
    // A context is a header and the CPU state: this span covers both.
    const size = (uc.contextSize(handle) as number) + 64;
    const states = [snapshot(uc, handle, size)];
    for (const step of [0, 1]) {
      uc.emuStart(handle, PROBE_ADDRESS + 4 * step, PROBE_ADDRESS + 4 * step + 4, 0, 1);
      states.push(snapshot(uc, handle, size));
    }
    const [a, b, c] = states as [Uint32Array, Uint32Array, Uint32Array];
    const matches = [];
    for (let i = 0; i + 1 < a.length; i++) {
      if (a[i] === 0 && b[i] === 7 && c[i] === 6 && a[i + 1] === 0 && b[i + 1] === 0) matches.push(i);
    }
    if (matches.length !== 1) throw new Error('this libunicorn build keeps sparc32 CWP where clustervm cannot find it');
    return matches[0]! * 4;
  } finally {
    uc.close(handle);
  }
}

/** A sparc32 engine's current window pointer, which Unicorn offers no register for: read from a context. */
export function currentWindow(uc: Unicorn, handle: UcHandle): number {
  cwpOffset ??= locateCwp(loadUnicorn());
  const context = [null as unknown];
  if (uc.contextAlloc(handle, context) !== 0) throw new Error('uc_context_alloc failed reading CWP');
  try {
    if (uc.contextSave(handle, context[0]) !== 0) throw new Error('uc_context_save failed reading CWP');
    return new Uint32Array(koffi.view(context[0], cwpOffset + 4))[cwpOffset / 4]!;
  } finally {
    uc.contextFree(context[0]);
  }
}

/** Makes a fresh sparc32 engine trap on window overflow and underflow. */
export function reserveInvalidWindow(uc: Unicorn, handle: UcHandle): void {
  cwpOffset ??= locateCwp(loadUnicorn());
  const context = [null as unknown];
  const check = (operation: string, code: number) => {
    if (code !== 0) throw new UnicornError(`${operation} (setting WIM)`, code, uc.strerror(code) as string);
  };
  check('uc_context_alloc', uc.contextAlloc(handle, context) as number);
  try {
    check('uc_context_save', uc.contextSave(handle, context[0]) as number);
    new Uint32Array(koffi.view(context[0], cwpOffset + 8))[cwpOffset / 4 + 1] = INVALID_WINDOW_MASK;
    check('uc_context_restore', uc.contextRestore(handle, context[0]) as number);
  } finally {
    uc.contextFree(context[0]);
  }
}
