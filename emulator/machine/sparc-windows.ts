import type { Engine } from '../engine/index.js';

// sparc32's register windows beyond the current one, which Unicorn does not name (it
// reads and writes only the current window's registers). The firmware runs in window
// 0 and each `save` a program makes counts CWP down, so the live windows are CWP+1 up
// to 7, then 0 (WIM marks window 1 invalid: at most six saves nest, and no restore goes
// past window 0). `restore %g0, %g0, %g0` and `save %g0, %g0, %g0` are unprivileged and
// change nothing but CWP: run one at a time at the core's own pc (its word put back
// after), they walk out to window 0 and back. sparc64 needs none of this: its first
// `save` traps (Unicorn opens it with no free window), so only the current one is live.

const RESTORE = Uint8Array.of(0x81, 0xe8, 0x00, 0x00); // restore %g0, %g0, %g0
const SAVE = Uint8Array.of(0x81, 0xe0, 0x00, 0x00); // save %g0, %g0, %g0
const WINDOWS = 8;

/** A window's own registers: its locals and ins (its outs are the next inner window's ins). */
const OWN = [...Array.from({ length: 8 }, (_, i) => `l${i}`), ...Array.from({ length: 8 }, (_, i) => `i${i}`)];

export type WindowRegisters = readonly (readonly [string, bigint])[];

/** Runs the one instruction `word` at `at`, through `quietly` (no trace, no debug stops). */
function runOne(engine: Engine, at: number, word: Uint8Array, quietly: (run: () => void) => void): void {
  const original = engine.readMemory(at, 4);
  engine.writeMemory(at, word);
  engine.invalidate(at, at + 4);
  try {
    quietly(() => engine.run(at, { until: at + 4 }));
  } finally {
    engine.writeMemory(at, original);
    engine.invalidate(at, at + 4);
  }
}

/** The windows outside the current one, outermost (window 0) first; the engine ends where it began. */
export function outerWindows(engine: Engine, at: number, quietly: (run: () => void) => void): WindowRegisters[] {
  const current = engine.sparcWindow();
  const outer = (WINDOWS - current) % WINDOWS;
  const windows: WindowRegisters[] = [];
  for (let i = 0; i < outer; i++) {
    runOne(engine, at, RESTORE, quietly);
    windows.unshift(OWN.map((name): [string, bigint] => [name, engine.readRegister(name)]));
  }
  for (let i = 0; i < outer; i++) runOne(engine, at, SAVE, quietly);
  if (engine.sparcWindow() !== current) throw new Error(`register windows did not come back to window ${current}`);
  return windows;
}

/**
 * Builds the outer windows again on an engine in window 0 (a fresh one), outermost
 * first, ending in the window the registers of the current one go into.
 */
export function rebuildWindows(engine: Engine, at: number, windows: readonly WindowRegisters[], quietly: (run: () => void) => void): void {
  if (engine.sparcWindow() !== 0) throw new Error('register windows are rebuilt on an engine in window 0 only');
  for (const window of windows) {
    for (const [name, value] of window) engine.writeRegister(name, value);
    runOne(engine, at, SAVE, quietly);
  }
}
