import { openEngine, runSteps } from '../support/index.js';
import { describe, expect, it } from 'vitest';
import { type Engine, UC_PROT_ALL } from '../../emulator/index.js';
import { ISA_NAMES, ISAS, pcAfterTrap, trapVector, type IsaFamily, type IsaName } from '../../isa/index.js';

// The record in isa/ is what every layer believes about an ISA; here each fact is asked
// of the real engine, so a wrong entry fails here and not as a silent misbehaviour.

const BASE = 0x10_0000;
const TRAP_NUMBER = 0x10;

interface FamilyProgram {
  /** A trap instruction `int 0x10` / `ta 0x10`. */
  readonly trap: readonly number[];
  /** A taken jump over one instruction that increments `counter`, then a no-op. */
  readonly jumpOverIncrement: readonly number[];
  readonly counter: Readonly<Record<IsaName, string>>;
  /** Stores the 32-bit word in `value` at the address in `pointer`, then a no-op the run ends on. */
  readonly store: readonly number[];
  readonly storeRegisters: Readonly<Record<IsaName, { pointer: string; value: string }>>;
}

const STORE_REGISTERS: FamilyProgram['storeRegisters'] = {
  'x86-32': { pointer: 'ebx', value: 'eax' },
  'x86-64': { pointer: 'rbx', value: 'rax' },
  sparc32: { pointer: 'o0', value: 'o1' },
  sparc64: { pointer: 'o0', value: 'o1' },
};

const PROGRAMS: Readonly<Record<IsaFamily, FamilyProgram>> = {
  // cd 10: int 0x10 | eb 02: jmp +2; ff c3: inc ebx; 90: nop | 89 03: mov [ebx], eax; nop
  x86: {
    trap: [0xcd, TRAP_NUMBER],
    jumpOverIncrement: [0xeb, 0x02, 0xff, 0xc3, 0x90],
    counter: { 'x86-32': 'ebx', 'x86-64': 'rbx', sparc32: 'o2', sparc64: 'o2' },
    store: [0x89, 0x03, 0x90],
    storeRegisters: STORE_REGISTERS,
  },
  // 0x91d02010: ta 0x10 | 0x10800002: ba +8; 0x9402a001: add %o2, 1, %o2; 0x01000000: nop
  // | 0xd2220000: st %o1, [%o0]; nop
  sparc: {
    trap: words([0x91d02010]),
    jumpOverIncrement: words([0x10800002, 0x9402a001, 0x01000000]),
    counter: { 'x86-32': 'ebx', 'x86-64': 'rbx', sparc32: 'o2', sparc64: 'o2' },
    store: words([0xd2220000, 0x01000000]),
    storeRegisters: STORE_REGISTERS,
  },
};

function words(values: readonly number[]): number[] {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeUInt32BE(value, i * 4));
  return [...bytes];
}

function engineWith(isa: IsaName, code: readonly number[]): Engine {
  const engine = openEngine(isa);
  engine.mapMemory(BASE, 0x4000, UC_PROT_ALL);
  engine.writeMemory(BASE, Uint8Array.from(code));
  return engine;
}

describe.each(ISA_NAMES)('%s: the isa record agrees with the engine', (isa) => {
  const facts = ISAS[isa];
  const program = PROGRAMS[facts.family];

  it('a trap instruction arrives as trapVector(isa, n), with the pc where pcAtTrap says', () => {
    const engine = engineWith(isa, program.trap);
    const seen: { intno: number; pc: number }[] = [];
    engine.onInterrupt((intno) => { seen.push({ intno, pc: engine.pc() }); engine.stop(); });
    engine.run(BASE, { budget: 1 });
    engine.close();
    const trapEnd = BASE + program.trap.length;
    expect(seen).toEqual([{ intno: trapVector(isa, TRAP_NUMBER), pc: facts.pcAtTrap === 'on-trap' ? BASE : trapEnd }]);
    expect(pcAfterTrap(isa, seen[0]!.pc)).toBe(trapEnd);
  });

  it('the smallest mapping the engine takes is pageBytes', () => {
    const engine = openEngine(isa);
    expect(() => engine.mapMemory(BASE, facts.pageBytes / 2, UC_PROT_ALL)).toThrow(/UC_ERR_ARG/);
    expect(() => engine.mapMemory(BASE, facts.pageBytes, UC_PROT_ALL)).not.toThrow();
    engine.close();
  });

  it(`the instruction after a taken jump ${facts.delaySlots ? 'runs (a delay slot)' : 'is skipped'}`, () => {
    const engine = engineWith(isa, program.jumpOverIncrement);
    runSteps(engine, BASE, 2);
    const counter = engine.readRegister(program.counter[isa]);
    engine.close();
    expect(counter).toBe(facts.delaySlots ? 1n : 0n);
  });

  it('an instruction of longestInstruction bytes runs; one byte more does not', () => {
    // x86: prefixes before a nop; SPARC: every instruction is one aligned word.
    const longest = facts.family === 'x86' ? [...Array<number>(facts.longestInstruction - 1).fill(0x66), 0x90] : words([0x01000000]);
    const engine = engineWith(isa, longest);
    engine.step(BASE);
    expect(engine.pc()).toBe(BASE + facts.longestInstruction);
    engine.close();
    if (facts.family !== 'x86') return;
    const tooLong = engineWith(isa, [0x66, ...longest]);
    const interrupts: number[] = [];
    tooLong.onInterrupt((intno) => { interrupts.push(intno); tooLong.stop(); });
    tooLong.run(BASE, { budget: 1 });
    expect({ pc: tooLong.pc(), interrupts }).toEqual({ pc: BASE, interrupts: [13] });
    tooLong.close();
  });

  it('registers are wordBytes wide; a stored word lands in the byte order littleEndian says', () => {
    const engine = engineWith(isa, program.store);
    const { pointer, value } = program.storeRegisters[isa];
    engine.writeRegister(facts.registers.sp, -1n);
    expect(engine.readRegister(facts.registers.sp)).toBe((1n << BigInt(facts.wordBytes * 8)) - 1n);
    // The word goes to a page without code: a store into a page of translated code makes
    // Unicorn drop and re-enter the block (QEMU's precise self-modifying code), which
    // counting by blocks would count twice. A node's code pages are read+execute only.
    engine.writeRegister(pointer, BASE + 0x2000);
    engine.writeRegister(value, 0x11223344);
    engine.run(BASE, { budget: 2 });
    const stored = [...engine.readMemory(BASE + 0x2000, 4)];
    engine.close();
    expect(stored).toEqual(facts.littleEndian ? [0x44, 0x33, 0x22, 0x11] : [0x11, 0x22, 0x33, 0x44]);
  });
});
