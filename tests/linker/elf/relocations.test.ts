// Every relocation kind against GNU ld. For each kind, gas assembles one use of it per
// case, each against its own symbol; ld links the object with .text near 0, across
// 2^31 and at the top of the address space, each symbol --defsym'd so that the kind's
// formula gives the case's value: the edges of the field's range and just past them.
// clustervm applies the same relocations to the object's .text at the same address;
// the bytes must equal what ld wrote, and clustervm must refuse exactly the values ld
// reports as "relocation truncated to fit" (ld runs with --noinhibit-exec, so it
// reports every one and still writes the rest).

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyRelocation, ELF_MACHINES, EM_386, EM_SPARC, EM_SPARC32PLUS, EM_SPARCV9, EM_X86_64, implicitAddend, readElfObject,
  RelocationError, RelocationRangeError, RELOCATIONS, UnknownRelocationError, type ElfMachine, type RelocationKind, type RelocationPlace,
} from '../../../linker/elf/index.js';
import { TempDir } from '../../support/index.js';
import { run, runForStatus } from './support/gnu-tools.js';

const dir = new TempDir('clustervm-relocations');
afterAll(() => dir.cleanup());

/** A value of the kind's formula, and whether ld takes it. */
interface Case {
  readonly value: bigint;
  readonly fits: boolean;
}
const fits = (...values: bigint[]): Case[] => values.map((value) => ({ value, fits: true }));
const overflows = (...values: bigint[]): Case[] => values.map((value) => ({ value, fits: false }));

/** Uses of one kind: `source` is one use against `symbol`, assembled once per case. */
interface Probe {
  readonly type: number;
  readonly source: (symbol: string) => string;
  readonly cases: readonly Case[];
}

interface Target {
  readonly name: string;
  readonly machine: ElfMachine;
  readonly assemble: readonly [string, ...string[]];
  readonly link: readonly [string, ...string[]];
  readonly objcopy: string;
  /** Where .text is linked: at 0, across 2^31, at the top of the address space. */
  readonly places: readonly bigint[];
  readonly probes: readonly Probe[];
}

const SLOT = 16;
const PLACES_32 = [0n, 0x7fffffc0n, 0xffffff00n];
const PLACES_64 = [0n, 0x7fffffc0n, 0xffffffff80000000n, 0xffffffffffffff00n];

const X86_32: Target = {
  name: 'x86-32', machine: EM_386, assemble: ['i686-linux-gnu-as', '--32'], link: ['i686-linux-gnu-ld', '-m', 'elf_i386'],
  objcopy: 'i686-linux-gnu-objcopy', places: PLACES_32,
  probes: [
    { type: 1, source: (s) => `.long ${s} + 5`, cases: fits(0n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -1n) },
    { type: 2, source: (s) => `call ${s}`, cases: fits(0n, 0x7fffffffn, 0x80000000n, -0x80000000n, -0x80000001n) },
    { type: 2, source: (s) => `.long ${s} - . + 2`, cases: fits(0n, 0x7fffffffn, 0x80000000n, -0x80000001n) },
    { type: 4, source: (s) => `call ${s}@PLT`, cases: fits(0n, 0x7fffffffn, 0x80000000n, -0x80000000n, -0x80000001n) },
  ],
};

const PC32_64 = [...fits(0x7fffffffn, -0x80000000n, 0n), ...overflows(0x80000000n, -0x80000001n)];

const X86_64: Target = {
  name: 'x86-64', machine: EM_X86_64, assemble: ['as', '--64'], link: ['ld', '-m', 'elf_x86_64'], objcopy: 'objcopy', places: PLACES_64,
  probes: [
    { type: 1, source: (s) => `.quad ${s} + 5`, cases: fits(0n, -1n, 0x8000000000000000n, 0x123456789abcdef0n) },
    { type: 2, source: (s) => `lea ${s}(%rip), %rax`, cases: PC32_64 },
    { type: 4, source: (s) => `call ${s}`, cases: PC32_64 },
    { type: 10, source: (s) => `movl $${s}, %eax`, cases: [...fits(0n, 0xffffffffn, 0x80000000n), ...overflows(0x100000000n, -1n)] },
    { type: 11, source: (s) => `movq $${s}, %rax`, cases: [...PC32_64, ...overflows(0xffffffffn)] },
  ],
};

const WDISP22 = [...fits(0x7ffffcn, -0x800000n, 0n), ...overflows(0x800000n, -0x800004n)];
const SPARC_13 = [...fits(0xfffn, 0x1fffn, -0x2000n, 0n), ...overflows(0x2000n, -0x2001n)];
const WORD_32 = fits(0n, 0xffffffffn, 0x80000000n, -1n);
const BRANCHES = { call: (s: string) => `call ${s}\n nop`, ba: (s: string) => `ba ${s}\n nop`, bapt: (s: string) => `ba,pt %xcc, ${s}\n nop` };

/** The V8 kinds on 32-bit SPARC, where every displacement wraps with the address. */
const SPARC_32_PROBES: readonly Probe[] = [
  { type: 3, source: (s) => `.word ${s} + 16`, cases: WORD_32 },
  { type: 6, source: (s) => `.word ${s} - . + 8`, cases: fits(0x7fffffffn, 0x80000000n, -0x80000000n, -0x80000001n, 0n) },
  { type: 7, source: BRANCHES.call, cases: fits(0x7ffffffcn, 0x80000000n, -0x80000000n, -0x80000004n, 0n) },
  { type: 8, source: BRANCHES.ba, cases: WDISP22 },
  { type: 9, source: (s) => `sethi %hi(${s} + 0x1234), %g1`, cases: fits(0n, 0xfffffc00n, 0xffffffffn, 0x12345678n) },
  { type: 11, source: (s) => `mov ${s} + 4, %g1`, cases: SPARC_13 },
  { type: 12, source: (s) => `or %g1, %lo(${s} + 0x1234), %g1`, cases: fits(0n, 0x3ffn, 0x12345678n, 0xffffffffn) },
  { type: 23, source: (s) => `.byte 0x5a\n .uaword ${s} + 3`, cases: WORD_32 },
];

const WDISP19: Probe = { type: 41, source: BRANCHES.bapt, cases: [...fits(0xffffcn, -0x100000n, 0n), ...overflows(0x100000n, -0x100004n)] };

const SPARC_LINK_32 = ['sparc64-linux-gnu-ld', '-m', 'elf32_sparc'] as const;

const SPARC32: Target = {
  name: 'sparc32', machine: EM_SPARC, assemble: ['sparc64-linux-gnu-as', '-32', '-Av8'], link: SPARC_LINK_32,
  objcopy: 'sparc64-linux-gnu-objcopy', places: PLACES_32, probes: SPARC_32_PROBES,
};

const SPARC32PLUS: Target = {
  name: 'sparc32 V8+', machine: EM_SPARC32PLUS, assemble: ['sparc64-linux-gnu-as', '-32', '-Av8plus'], link: SPARC_LINK_32,
  objcopy: 'sparc64-linux-gnu-objcopy', places: PLACES_32, probes: [...SPARC_32_PROBES, WDISP19],
};

const HIGH_64 = fits(0n, -1n, 0xfedcba9876543210n, 0x3ffn << 42n);
const WORD_64 = fits(0n, -1n, 0x8000000000000000n, 0x123456789abcdef0n);
const WORD_32_ON_64 = [...fits(0n, 0xffffffffn, -0x100000000n, -1n), ...overflows(0x100000000n, -0x100000001n)];
const olo10 = (second: string) => (s: string) => `ld [%g1 + %lo(${s}) ${second}], %g2`;

const SPARC64: Target = {
  name: 'sparc64', machine: EM_SPARCV9, assemble: ['sparc64-linux-gnu-as', '-64', '-Av9'], link: ['sparc64-linux-gnu-ld', '-m', 'elf64_sparc'],
  objcopy: 'sparc64-linux-gnu-objcopy', places: PLACES_64,
  probes: [
    { type: 3, source: (s) => `.word ${s} + 16`, cases: WORD_32_ON_64 },
    { type: 6, source: (s) => `.word ${s} - . + 8`, cases: [...fits(0x7fffffffn, -0x80000000n, 0n), ...overflows(0x80000000n, -0x80000001n)] },
    { type: 7, source: BRANCHES.call, cases: [...fits(0x7ffffffcn, -0x80000000n, 0n), ...overflows(0x80000000n, -0x80000004n)] },
    { type: 8, source: BRANCHES.ba, cases: WDISP22 },
    { type: 9, source: (s) => `sethi %hi(${s} + 0x1234), %g1`, cases: fits(0n, 0xffffffffn, 0x100000000n, 0xffffffff80000000n, -1n) },
    { type: 11, source: (s) => `mov ${s} + 4, %g1`, cases: SPARC_13 },
    { type: 12, source: (s) => `or %g1, %lo(${s} + 0x1234), %g1`, cases: fits(0x3ffn, 0xfedcba9876543210n, -1n) },
    { type: 23, source: (s) => `.byte 0x5a\n .uaword ${s} + 3`, cases: WORD_32_ON_64 },
    WDISP19,
    { type: 32, source: (s) => `.xword ${s} + 5`, cases: WORD_64 },
    // OLO10's value is the low 10 bits of S + A plus the second addend, in a signed simm13.
    { type: 33, source: olo10('+ 0xc00'), cases: fits(0xc00n, 0xfffn) },
    { type: 33, source: olo10('+ 0xc01'), cases: [...fits(0xc01n), ...overflows(0x1000n)] },
    { type: 33, source: olo10('- 0x1000'), cases: fits(-0x1000n, -0xc01n) },
    { type: 33, source: olo10('- 0x1001'), cases: [...fits(-0xc02n), ...overflows(-0x1001n)] },
    { type: 34, source: (s) => `sethi %hh(${s} + 0x10), %g1`, cases: HIGH_64 },
    { type: 35, source: (s) => `or %g1, %hm(${s} + 0x10), %g1`, cases: HIGH_64 },
    { type: 36, source: (s) => `sethi %lm(${s} + 0x10), %g2`, cases: HIGH_64 },
    { type: 50, source: (s) => `sethi %h44(${s} + 0x10), %g1`, cases: [...fits(0n, 0xfffffffffffn, 0x123456789abn), ...overflows(0x100000000000n, -1n)] },
    { type: 51, source: (s) => `or %g1, %m44(${s} + 0x10), %g1`, cases: fits(0n, 0xfffffffffffn, -1n, 0xfedcba9876543210n) },
    { type: 52, source: (s) => `or %g1, %l44(${s} + 0x10), %g1`, cases: fits(0n, 0xfffffffffffn, -1n, 0xfedcba9876543210n) },
    { type: 54, source: (s) => `.byte 0x5a\n .uaxword ${s} + 3`, cases: WORD_64 },
  ],
};

const TARGETS = [X86_32, X86_64, SPARC32, SPARC32PLUS, SPARC64];

/** For OLO10, S is chosen so that the low 10 bits of S + A are the value less the second addend. */
const OLO10_BASE = 0x12345400n;

/** The symbol value that makes the kind's formula give `value`. */
function symbolFor(kind: RelocationKind, value: bigint, A: bigint, A2: bigint, P: bigint): bigint {
  switch (kind.formula) {
    case 'S + A': return value - A;
    case 'S + A - P':
    case 'L + A - P': return value - A + P;
    case '((S + A) & 0x3ff) + O': {
      const low = value - A2;
      if (low < 0n || low > 0x3ffn) throw new Error(`no S gives OLO10 ${value} with second addend ${A2}`);
      return OLO10_BASE + low - A;
    }
  }
}

const hex = (value: bigint) => `0x${value.toString(16)}`;
const hexBytes = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

let objects = 0;

describe.each(TARGETS)('$name', (target) => {
  const { machine } = target;
  const addressBits = ELF_MACHINES[machine].elfClass;

  it('probes every kind clustervm applies', () => {
    expect([...new Set(target.probes.map(({ type }) => type))].sort((a, b) => a - b))
      .toEqual(Object.keys(RELOCATIONS[machine]).map(Number).sort((a, b) => a - b));
  });

  it.each(target.probes.map((probe) => [RELOCATIONS[machine][probe.type]?.name ?? `type ${probe.type}`, probe] as const))(
    '%s matches ld at the edges of its range', (name, probe) => {
      const kind = RELOCATIONS[machine][probe.type]!;
      const stem = dir.join(`probe-${objects++}`);
      const symbols = probe.cases.map((_, index) => `sym${index}`);
      const source = ['.text', '.globl _start', '_start:', ...symbols.map((symbol) => ` .p2align 4\n ${probe.source(symbol)}`), ''].join('\n');
      run(target.assemble[0], [...target.assemble.slice(1), dir.file(`${stem}.s`, source), '-o', `${stem}.o`]);
      const object = readElfObject(`${stem}.o`, readFileSync(`${stem}.o`));
      const text = object.sections.find((section) => section.name === '.text')!;
      const relocations = object.relocations.filter((relocation) => relocation.section === text.index);
      expect(relocations.map((r) => ({ type: r.type, symbol: object.symbols[r.symbol]!.name, slot: Math.floor(Number(r.offset) / SLOT) })))
        .toEqual(symbols.map((symbol, slot) => ({ type: probe.type, symbol, slot })));

      for (const place of target.places) {
        const where = `${name} with .text at ${hex(place)}`;
        const bytes = Uint8Array.from(text.data);
        const uses = relocations.map((relocation, index) => {
          const at = { bytes, offset: Number(relocation.offset), address: place + relocation.offset };
          const A = relocation.explicitAddend ? relocation.addend : implicitAddend(machine, relocation.type, at);
          const S = BigInt.asUintN(addressBits, symbolFor(kind, probe.cases[index]!.value, A, relocation.addend2, at.address));
          return { at, A, S, relocation };
        });

        const exe = `${stem}-${hex(place)}`;
        const linked = runForStatus(target.link[0], [
          ...target.link.slice(1), `-Ttext=${hex(place)}`, '--noinhibit-exec',
          ...uses.map(({ S }, index) => `--defsym=${symbols[index]!}=${hex(S)}`), `${stem}.o`, '-o', exe,
        ]);
        expect(linked.status, `${where}: ${linked.stderr}`).toBe(0);
        const truncated = [...linked.stderr.matchAll(/relocation truncated to fit: (\S+) against symbol `(\w+)'/g)];
        expect(truncated.filter((match) => match[1] !== name), where).toEqual([]);
        run(target.objcopy, ['-O', 'binary', '-j', '.text', exe, `${exe}.bin`]);
        const ldBytes = readFileSync(`${exe}.bin`);

        const outcomes = uses.map(({ at, A, S, relocation }) => {
          try {
            applyRelocation(machine, relocation.type, at, S, A, relocation.addend2);
            return 'fits';
          } catch (error) {
            if (error instanceof RelocationRangeError && error.kind === name) return 'truncated';
            throw error;
          }
        });
        expect(probe.cases.map(({ value }, index) => ({
          value: hex(value), ld: truncated.some((match) => match[2] === symbols[index]) ? 'truncated' : 'fits', clustervm: outcomes[index],
        })), where).toEqual(probe.cases.map(({ value, fits: fit }) => ({
          value: hex(value), ld: fit ? 'fits' : 'truncated', clustervm: fit ? 'fits' : 'truncated',
        })));

        // Where ld truncated, it wrote the cut value; clustervm left the field as gas did.
        const slot = (from: Uint8Array, index: number) => hexBytes(from.subarray(index * SLOT, (index + 1) * SLOT));
        expect(symbols.map((_, index) => slot(bytes, index)), where)
          .toEqual(symbols.map((_, index) => slot(outcomes[index] === 'fits' ? ldBytes : text.data, index)));
      }
    });
});

describe('what the appliers refuse', () => {
  const place = (length: number, offset = 0): RelocationPlace => ({ bytes: new Uint8Array(length), offset, address: 0x1000n });

  it('names the kind, the value and the range when a value does not fit', () => {
    expect(() => applyRelocation(EM_SPARCV9, 8, place(4), 0x801000n, 0n)).toThrow(RelocationRangeError);
    expect(() => applyRelocation(EM_SPARCV9, 8, place(4), 0x801000n, 0n))
      .toThrow('R_SPARC_WDISP22: S + A - P is 0x800000, which does not fit the field (-0x800000 to 0x7fffff)');
    expect(() => applyRelocation(EM_X86_64, 10, place(4), -1n, 0n))
      .toThrow('R_X86_64_32: S + A is 0xffffffffffffffff, which does not fit the field (0x0 to 0xffffffff)');
  });

  it('names the type it does not know, also a kind of another machine', () => {
    expect(() => applyRelocation(EM_386, 99, place(4), 0n, 0n)).toThrow(UnknownRelocationError);
    expect(() => applyRelocation(EM_386, 99, place(4), 0n, 0n)).toThrow('relocation type 99 is not one clustervm applies for EM_386');
    // R_SPARC_HH22 is a sparc64 kind: a 32-bit object has no high address bits to give it.
    expect(() => applyRelocation(EM_SPARC, 34, place(4), 0n, 0n)).toThrow('relocation type 34 is not one clustervm applies for EM_SPARC');
    expect(() => implicitAddend(EM_X86_64, 24, place(8))).toThrow(UnknownRelocationError);
  });

  it('refuses a field that does not lie within the bytes', () => {
    expect(() => applyRelocation(EM_SPARCV9, 32, place(12, 6), 0n, 0n)).toThrow('R_SPARC_64 at offset 6 needs 8 bytes, but the section holds 12');
    expect(() => applyRelocation(EM_386, 1, place(4, -1), 0n, 0n)).toThrow(RelocationError);
    expect(() => implicitAddend(EM_386, 2, place(3))).toThrow('R_386_PC32 at offset 0 needs 4 bytes, but the section holds 3');
  });

  it('reads an implicit addend only from a whole-word field', () => {
    const bytes = new Uint8Array([0xfc, 0xff, 0xff, 0xff, 0x05, 0, 0, 0]);
    expect(implicitAddend(EM_386, 2, { bytes, offset: 0, address: 0n })).toBe(-4n);
    expect(implicitAddend(EM_386, 1, { bytes, offset: 4, address: 0n })).toBe(5n);
    expect(() => implicitAddend(EM_SPARC, 9, place(4))).toThrow(/^R_SPARC_HI22 patches an instruction's immediate/);
  });
});
