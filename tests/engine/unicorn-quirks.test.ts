import { openEngine, runSteps } from '../support/index.js';
import { describe, expect, it } from 'vitest';
import { UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE, UC_PROT_ALL } from '../../emulator/index.js';

// Minimal reproductions of Unicorn 2.0.1 behaviour that clustervm works around. If one
// of these starts failing, Unicorn changed and the workaround may be removable.

const BASE = 0x10_0000;
const SAVE = 0x9de3bf40; // save %sp, -192, %sp
const NOP = 0x01000000;

function sparcEngine(isa: 'sparc32' | 'sparc64', words: number[]) {
  const engine = openEngine(isa);
  const ram = Buffer.alloc(0x10000);
  words.forEach((word, i) => ram.writeUInt32BE(word, i * 4));
  engine.mapBuffer(BASE, ram, UC_PROT_ALL);
  engine.writeRegister('sp', BASE + 0x8000);
  return engine;
}

const DATA = 0x1000_0000;

/** An engine with `code` at BASE and a page of data at DATA that `pointer` points to. */
function dataEngine(isa: 'x86-32' | 'sparc32', code: readonly number[], pointer: string) {
  const engine = openEngine(isa);
  engine.mapMemory(BASE, 0x2000, UC_PROT_ALL);
  engine.mapMemory(DATA, 0x2000, UC_PROT_ALL);
  engine.writeMemory(BASE, Uint8Array.from(code));
  engine.writeRegister(pointer, DATA);
  return engine;
}

describe('Unicorn quirks', () => {
  it('sparc64 starts with no free register window: the first save traps (spill, tt 0x80)', () => {
    const engine = sparcEngine('sparc64', [SAVE, NOP, NOP]);
    const traps: number[] = [];
    engine.onInterrupt((intno) => { traps.push(intno); engine.stop(); });
    engine.run(BASE, { budget: 3 });
    expect(traps).toEqual([0x80]);
    engine.close();
  });

  it.each(['sparc32', 'sparc64'] as const)('%s reads icc and xcc as 0 whatever the flags (the console leaves them out)', (isa) => {
    // subcc %g0, 1, %g0 (0 - 1 borrows: C set), then addx %g0, %g0, %g1 (g1 = C).
    const SUBCC_G0_1 = 0x80a02001;
    const ADDX_G1 = 0x82400000;
    const engine = sparcEngine(isa, [SUBCC_G0_1, ADDX_G1, NOP]);
    expect(runSteps(engine, BASE, 2).counted).toBe(2);
    expect(engine.readRegister('g1')).toBe(1n);
    expect(engine.readRegister('icc')).toBe(0n);
    expect(engine.readRegister('xcc')).toBe(0n);
    engine.close();
  });

  it('sparc32 runs the same save without a trap', () => {
    const engine = sparcEngine('sparc32', [SAVE, NOP, NOP]);
    const traps: number[] = [];
    engine.onInterrupt((intno) => traps.push(intno));
    expect(runSteps(engine, BASE, 3).counted).toBe(3);
    expect(traps).toEqual([]);
    engine.close();
  });

  it('sparc64 saves an empty context (no registers to restore)', () => {
    const engine = openEngine('sparc64');
    engine.writeRegister('l3', 0x1234);
    const context = engine.saveContext();
    engine.writeRegister('l3', 0x9999);
    engine.restoreContext(context);
    expect(engine.readRegister('l3')).toBe(0x9999n);
    context.free();
    engine.close();
  });

  it('a SPARC `ta` leaves the pc on the trap instruction', () => {
    const engine = sparcEngine('sparc32', [NOP, 0x91d02010, NOP]); // nop; ta 0x10; nop
    let pcAtTrap = 0;
    engine.onInterrupt(() => { pcAtTrap = engine.pc(); engine.stop(); });
    engine.run(BASE, { budget: 10 });
    expect(pcAtTrap).toBe(BASE + 4);
    engine.close();
  });

  // The DSM fault path relies on this: a core stopped from a read or write hook has not
  // done the access, and runs the instruction again when it resumes.
  it.each([
    { isa: 'x86-32' as const, code: [0xff, 0x06, 0x43], pointer: 'esi', check: 'ebx' }, // inc dword [esi]; inc ebx
    { isa: 'sparc32' as const, code: [0xd2, 0x02, 0x20, 0x00, 0x94, 0x02, 0xa0, 0x01], pointer: 'o0', check: 'o2' }, // ld [%o0], %o1; add %o2, 1, %o2
  ])('$isa: stopping in a memory hook abandons the accessing instruction', ({ isa, code, pointer, check }) => {
    const engine = dataEngine(isa, code, pointer);
    engine.writeMemory(DATA, Uint8Array.from([0, 0, 0, 7]));
    let stops = 1;
    engine.onMemoryAccess(UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, DATA, DATA + 0xfff, () => {
      if (stops-- > 0) engine.stop();
    });
    const first = engine.run(BASE, { budget: 10 });
    expect(engine.pc()).toBe(BASE);
    expect(first.counted).toBe(0); // nothing retired before the abandoned instruction
    expect(engine.readRegister(check)).toBe(0n);
    expect([...engine.readMemory(DATA, 4)]).toEqual([0, 0, 0, 7]);
    engine.run(BASE, { budget: 2 });
    expect(engine.readRegister(check)).toBe(1n);
    engine.close();
  });

  // A write watchpoint therefore undoes the store before the core resumes (Core.addWatchpoint).
  it('x86-32: stopping in a write hook still stores the value, yet the pc stays on the instruction', () => {
    const engine = dataEngine('x86-32', [0xc7, 0x06, 0x05, 0x00, 0x00, 0x00, 0x43], 'esi'); // mov dword [esi], 5; inc ebx
    engine.onMemoryAccess(UC_HOOK_MEM_WRITE, DATA, DATA + 0xfff, () => engine.stop());
    engine.run(BASE, { budget: 10 });
    expect(engine.pc()).toBe(BASE);
    expect([...engine.readMemory(DATA, 4)]).toEqual([5, 0, 0, 0]);
    engine.close();
  });

  // So a breakpoint drops the translation of its address (Core.addBreakpoint).
  it('x86-32: a code hook added after its block was translated is not called until the block is dropped', () => {
    const engine = openEngine('x86-32');
    engine.mapMemory(BASE, 0x1000, UC_PROT_ALL);
    engine.writeMemory(BASE, Uint8Array.from([0x43, 0x43, 0x43, 0xf4])); // inc ebx x3; hlt
    engine.run(BASE, { budget: 3 });
    let calls = 0;
    engine.onCode(BASE + 1, BASE + 1, () => { calls++; });
    engine.run(BASE, { budget: 3 });
    const beforeInvalidation = calls;
    engine.invalidate(BASE + 1, BASE + 2);
    engine.run(BASE, { budget: 3 });
    expect({ beforeInvalidation, after: calls }).toEqual({ beforeInvalidation: 0, after: 1 });
    engine.close();
  });

  // Without a hook on every instruction, the pc a memory hook stop leaves behind is the
  // one the block last wrote back: the start of the block, not the accessing instruction.
  // Inside the hook x86 has the instruction's pc (Unicorn writes EIP back before each
  // access when a read or write hook exists); SPARC has the block's.
  it.each([
    { isa: 'x86-32' as const, code: [0x90, 0x90, 0x8b, 0x06], pointer: 'esi', inHook: BASE + 2 }, // nop; nop; mov eax, [esi]
    { isa: 'sparc32' as const, code: [0x01, 0, 0, 0, 0x01, 0, 0, 0, 0xd2, 0x02, 0x20, 0x00], pointer: 'o0', inHook: BASE }, // nop; nop; ld [%o0], %o1
  ])('$isa: after a memory hook stops an uncounted run, the pc is the block start', ({ isa, code, pointer, inHook }) => {
    const engine = dataEngine(isa, code, pointer);
    let pcInHook = 0;
    engine.onMemoryAccess(UC_HOOK_MEM_READ, DATA, DATA + 0xfff, () => { pcInHook = engine.pc(); engine.stop(); });
    engine.run(BASE);
    expect({ inHook: pcInHook, after: engine.pc() }).toEqual({ inHook, after: BASE });
    engine.close();
  });
});
