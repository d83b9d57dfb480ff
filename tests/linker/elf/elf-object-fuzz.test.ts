// The ELF reader on broken objects: real gcc and gas objects of every ISA cut at every
// length, with every byte flipped, and with seeded random damage. Each must read as an
// object whose tables hold together (and whose relocations apply or are refused with a
// RelocationError), or be refused with an ElfError that names the file: never a
// TypeError or RangeError from the bytes.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyRelocation, ElfError, readElfObject, RelocationError, SHN_ABS, SHN_COMMON, SHT_NOBITS, SHT_NULL, type ElfObject,
} from '../../../linker/elf/index.js';
import { TempDir } from '../../support/index.js';
import { Random } from '../support/random.js';
import { C_TARGETS, compileC, run } from './support/gnu-tools.js';

const dir = new TempDir('clustervm-elf-fuzz');
afterAll(() => dir.cleanup());

const PROGRAM = `
extern int external_value;
extern int external_call(int);
int common_slot;
int initialised = 7;
static char zeroed[24];
const char text[] = "fuzz";
int *pointer = &initialised;
int entry(int x) { zeroed[x & 15] = text[x & 3]; return external_call(x + external_value) + common_slot + *pointer; }
`;

const FILE = 'fuzzed.o';
const source = dir.file('fuzz.c', PROGRAM);
const olo10 = dir.file('olo10.s', 'ld [%g1 + %lo(sym) + 0x20], %g2\nsethi %h44(sym), %g1\n.xword sym\n');
run('sparc64-linux-gnu-as', ['-64', '-Av9', olo10, '-o', `${olo10}.o`]);

// One object per class, byte order and relocation form; medany has the most SPARC kinds.
const FUZZED = C_TARGETS.filter(({ name }) => !/medlow|medmid/.test(name));
const OBJECTS: readonly (readonly [string, Uint8Array])[] = [
  ...FUZZED.map((target) => [target.name, compileC(target, source, dir.join(`${target.name.replace(/\W+/g, '-')}.o`), ['-fcommon'])] as const),
  ['sparc64 gas (R_SPARC_OLO10)', readFileSync(`${olo10}.o`)],
];

/** What a read object promises its users: every index and offset points inside the object. */
function brokenPromise(object: ElfObject): string | undefined {
  for (const section of object.sections) {
    const expected = section.type === SHT_NOBITS || section.type === SHT_NULL ? 0 : section.size;
    if (section.data.length !== expected) return `section ${section.index} has ${section.data.length} bytes of ${section.size}`;
  }
  for (const symbol of object.symbols) {
    if (symbol.section >= object.sections.length && symbol.section !== SHN_ABS && symbol.section !== SHN_COMMON) {
      return `symbol ${symbol.index} in section ${symbol.section}`;
    }
  }
  const copies = new Map<number, Uint8Array>();
  for (const relocation of object.relocations) {
    const target = object.sections[relocation.section];
    if (!target || relocation.offset >= BigInt(target.data.length)) return `relocation at ${relocation.offset} of section ${relocation.section}`;
    if (!object.symbols[relocation.symbol]) return `relocation against symbol ${relocation.symbol}`;
    const bytes = copies.get(target.index) ?? Uint8Array.from(target.data);
    copies.set(target.index, bytes);
    try {
      applyRelocation(object.machine, relocation.type, { bytes, offset: Number(relocation.offset), address: 0x100000n }, 0x200000n, relocation.addend, relocation.addend2);
    } catch (error) {
      if (!(error instanceof RelocationError)) return `applying a relocation threw ${String(error)}`;
    }
  }
  return undefined;
}

/** Why reading `bytes` went wrong, or undefined when it was read or refused properly. */
function misread(bytes: Uint8Array): string | undefined {
  let object: ElfObject;
  try {
    object = readElfObject(FILE, bytes);
  } catch (error) {
    if (error instanceof ElfError && error.message.startsWith(`${FILE}: `)) return undefined;
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return brokenPromise(object);
}

describe.each(OBJECTS)('%s', (_, good) => {
  it('reads the intact object', () => {
    expect(misread(good)).toBeUndefined();
    expect(readElfObject(FILE, good).relocations.length).toBeGreaterThan(0);
  });

  it('refuses it cut at every length', () => {
    const failures: string[] = [];
    for (let length = 0; length < good.length; length++) {
      const failure = misread(good.subarray(0, length));
      if (failure) failures.push(`cut at ${length}: ${failure}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('survives every byte flipped', () => {
    const failures: string[] = [];
    for (let at = 0; at < good.length; at++) {
      for (const change of [(byte: number) => byte ^ 0xff, (byte: number) => byte ^ 0x80, (byte: number) => byte ^ 0x01, () => 0]) {
        const bytes = Uint8Array.from(good);
        bytes[at] = change(bytes[at]!);
        const failure = misread(bytes);
        if (failure) failures.push(`byte ${at} changed to ${bytes[at]!}: ${failure}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('survives seeded random damage to several bytes', () => {
    const failures: string[] = [];
    const random = new Random(0xe1fn + BigInt(good.length));
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Uint8Array.from(good);
      const damaged = 1 + Number(random.below(8n));
      for (let n = 0; n < damaged; n++) bytes[Number(random.below(BigInt(bytes.length)))] = Number(random.below(256n));
      const failure = misread(bytes);
      if (failure) failures.push(`trial ${trial}: ${failure}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
