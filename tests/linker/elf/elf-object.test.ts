// The ELF reader against readelf, on objects the gcc cross compilers make with
// clustervm's flags for every ISA and SPARC code model: every section, symbol and
// relocation readelf lists is read the same, and every relocation type gcc emits is
// one clustervm applies.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ElfError, EM_SPARCV9, readElfObject, RELOCATIONS, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, SHT_REL, SHT_RELA,
  type ElfObject, type ElfRelocation, type ElfSymbol,
} from '../../../linker/elf/index.js';
import { TempDir } from '../../support/index.js';
import { C_TARGETS, compileC, listRelocations, listSections, listSymbols, run } from './support/gnu-tools.js';

const dir = new TempDir('clustervm-elf-object');
afterAll(() => dir.cleanup());

// Initialised, zeroed, read-only and COMMON data; a static and a global function; a
// call to an external function and a read of an external variable; a pointer in data.
const PROGRAM = `
extern int external_counter;
extern int external_function(int);
int common_table[16];
char common_flag;
int initialised = 42;
static int zeroed;
static long long zeroed_wide;
const char greeting[] = "hello, cluster";
int *pointer_to_initialised = &initialised;

static int __attribute__((noinline)) helper(int x) { return x * 3 + zeroed; }

int compute(int x) {
  zeroed += x;
  zeroed_wide += x;
  common_table[x & 15] = external_function(x + external_counter) + greeting[x & 7];
  return helper(*pointer_to_initialised) + common_flag;
}
`;
const source = dir.file('program.c', PROGRAM);

const SECTION_TYPES: Readonly<Record<string, number>> = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOBITS: 8, REL: 9 };
const SECTION_FLAGS: Readonly<Record<string, number>> = { W: 0x1, A: 0x2, X: 0x4, M: 0x10, S: 0x20, I: 0x40, L: 0x80, O: 0x100, G: 0x200, T: 0x400, C: 0x800, E: 0x80000000 };
const SYMBOL_TYPES: Readonly<Record<string, number>> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, REGISTER: 13 };
const SYMBOL_BINDINGS: Readonly<Record<string, number>> = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };
const SPECIAL_SECTIONS: Readonly<Record<string, number>> = { UND: SHN_UNDEF, ABS: SHN_ABS, COM: SHN_COMMON };

function known(table: Readonly<Record<string, number>>, word: string, what: string): number {
  const value = table[word];
  if (value === undefined) throw new Error(`readelf printed ${what} ${word}, which this test does not know`);
  return value;
}

function flagMask(letters: string): number {
  return [...letters].reduce((mask, letter) => mask | known(SECTION_FLAGS, letter, 'section flag'), 0);
}

/** The name readelf shows for a symbol: its own, or for a section symbol its section's. */
function shownName(object: ElfObject, symbol: ElfSymbol): string {
  return symbol.name === '' && symbol.type === SYMBOL_TYPES.SECTION ? object.sections[symbol.section]!.name : symbol.name;
}

function expectLikeReadelf(readelf: string, path: string, object: ElfObject): void {
  const bytes = readFileSync(path);

  const listedSections = listSections(readelf, path);
  expect(object.sections.map(({ index, name, type, size, entsize, flags, link, info, addralign }) =>
    ({ index, name, type, size, entsize, flags, link, info, align: addralign })))
    .toEqual(listedSections.map(({ index, name, type, size, entsize, flags, link, info, align }) =>
      ({ index, name, type: known(SECTION_TYPES, type, 'section type'), size, entsize, flags: flagMask(flags), link, info, align })));
  for (const listed of listedSections) {
    const section = object.sections[listed.index]!;
    const contents = section.type === SHT_NOBITS || listed.type === 'NULL' ? new Uint8Array(0) : bytes.subarray(listed.offset, listed.offset + listed.size);
    expect(Buffer.from(section.data).equals(contents), `contents of ${listed.name}`).toBe(true);
  }

  expect(object.symbols.map((symbol) => ({
    index: symbol.index, value: BigInt(symbol.value), size: symbol.size, type: symbol.type, binding: symbol.binding,
    section: symbol.section, name: shownName(object, symbol),
  }))).toEqual(listSymbols(readelf, path).map((listed) => ({
    index: listed.index, value: listed.value, size: listed.size, type: known(SYMBOL_TYPES, listed.type, 'symbol type'),
    binding: known(SYMBOL_BINDINGS, listed.binding, 'binding'),
    section: SPECIAL_SECTIONS[listed.section] ?? Number(listed.section), name: listed.name,
  })));

  // r_info as the object holds it: on ELF64 SPARC the second addend sits above the type.
  const packedInfo = ({ symbol, type, addend2 }: ElfRelocation) => object.elfClass === 32
    ? BigInt(symbol) << 8n | BigInt(type)
    : BigInt(symbol) << 32n | BigInt.asUintN(24, addend2) << 8n | BigInt(type);
  expect(object.relocations.map((relocation) => ({
    relocationSection: object.sections.find((s) => s.info === relocation.section && (s.type === SHT_RELA || s.type === SHT_REL))!.name,
    offset: relocation.offset,
    info: packedInfo(relocation),
    type: RELOCATIONS[object.machine][relocation.type]?.name ?? `type ${relocation.type}, which clustervm does not apply`,
    symbolName: shownName(object, object.symbols[relocation.symbol]!),
    addend: relocation.explicitAddend ? relocation.addend : undefined,
    addend2: object.machine === EM_SPARCV9 && relocation.type === 33 ? relocation.addend2 : undefined,
  }))).toEqual(listRelocations(readelf, path));
}

describe.each(C_TARGETS)('$name objects from gcc', (target) => {
  const path = dir.join(`${target.name.replace(/\W+/g, '-')}.o`);
  const object = readElfObject(path, compileC(target, source, path, ['-fcommon']));

  it('have the class, byte order and machine of the ISA', () => {
    expect(object.machine).toBe(target.machine);
    expect(object.littleEndian).toBe(target.name.startsWith('x86'));
    expect(object.elfClass).toBe(target.name === 'x86-32' || target.name === 'sparc32' ? 32 : 64);
  });

  it('read as readelf lists their sections, symbols and relocations', () => {
    expectLikeReadelf(target.readelf, path, object);
  });

  it('hold .text, .data, .bss and .rodata, .bss without contents', () => {
    const section = (name: string) => object.sections.find((s) => s.name === name);
    expect(['.text', '.data', '.bss', '.rodata'].filter((name) => !section(name)?.size)).toEqual([]);
    expect(section('.bss')!.data.length).toBe(0);
    expect(Buffer.from(section('.rodata')!.data).includes('hello, cluster')).toBe(true);
  });

  it('give COMMON symbols their alignment as value and relocate against undefined symbols', () => {
    const symbol = (name: string) => object.symbols.find((s) => s.name === name)!;
    expect(symbol('common_table')).toMatchObject({ section: SHN_COMMON, size: 64, binding: 1 });
    expect(symbol('common_table').value).toBeGreaterThanOrEqual(4);
    expect(symbol('common_flag')).toMatchObject({ section: SHN_COMMON, size: 1, value: 1 });
    for (const name of ['external_function', 'external_counter']) {
      expect(symbol(name).section, name).toBe(SHN_UNDEF);
      const text = object.sections.find((s) => s.name === '.text')!.index;
      expect(object.relocations.some((r) => r.section === text && object.symbols[r.symbol]!.name === name), name).toBe(true);
    }
  });
});

describe('R_SPARC_OLO10', () => {
  it('reads the second addend packed into r_info, as readelf prints it', () => {
    const path = dir.file('olo10.s', [
      'ld [%g1 + %lo(sym) + 0x20], %g2', 'ld [%g1 + %lo(sym) - 0x1000], %g2', 'ld [%g1 + %lo(sym + 8) + 0xfff], %g2', 'or %g1, %lo(sym), %g1', '',
    ].join('\n'));
    run('sparc64-linux-gnu-as', ['-64', '-Av9', path, '-o', `${path}.o`]);
    const object = readElfObject(`${path}.o`, readFileSync(`${path}.o`));
    expect(object.relocations.map(({ type, addend, addend2 }) => ({ type, addend, addend2 }))).toEqual([
      { type: 33, addend: 0n, addend2: 0x20n }, { type: 33, addend: 0n, addend2: -0x1000n },
      { type: 33, addend: 8n, addend2: 0xfffn }, { type: 12, addend: 0n, addend2: 0n },
    ]);
    expectLikeReadelf('sparc64-linux-gnu-readelf', `${path}.o`, object);
  });
});

describe('what the reader refuses', () => {
  const path = dir.join('refused.o');
  const good = compileC(C_TARGETS[0]!, source, path);
  /** The good object with `values` written at each offset. */
  const patched = (...patches: [at: number, values: number[]][]) => {
    const copy = Uint8Array.from(good);
    for (const [at, values] of patches) copy.set(values, at);
    return copy;
  };
  const refusal = (bytes: Uint8Array) => {
    try {
      readElfObject('bad.o', bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(ElfError);
      return (error as Error).message;
    }
    throw new Error('the reader took a malformed object');
  };
  const sectionHeaderOffset = new DataView(good.buffer, good.byteOffset).getUint32(32, true);

  it.each([
    ['not an ELF file', new Uint8Array([0x7f, 0x45, 0x4c, 0x47, 1, 1, 1]), /^bad\.o: is not an ELF file/],
    ['an executable', patched([16, [2, 0]]), /^bad\.o: is not a relocatable object: e_type is 2 \(ET_EXEC\)/],
    ['an unknown machine', patched([18, [40, 0]]), /^bad\.o: has an unknown machine: e_machine is 40; clustervm reads EM_SPARC \(2\)/],
    ['a big-endian i386 object', patched([5, [2]], [16, [0, 1, 0, 3]]), /^bad\.o: is a big-endian object of EM_386, which is little-endian$/],
    ['an ELF64 i386 object', patched([4, [2]]), /^bad\.o: is an ELF64 object of EM_386, whose objects are ELF32$/],
    ['a truncated header', good.subarray(0, 40), /^bad\.o: is truncated: 40 bytes, shorter than the 52-byte ELF32 header/],
    ['section headers past the end', good.subarray(0, sectionHeaderOffset + 7 * 40 + 20),
      new RegExp(`^bad\\.o: section header 7 lies past the end of the file \\(offset 0x${(sectionHeaderOffset + 280).toString(16)}, file is ${sectionHeaderOffset + 300} bytes\\)$`)],
  ])('%s', (_, bytes, message) => {
    expect(refusal(bytes)).toMatch(message);
  });
});
