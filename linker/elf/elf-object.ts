// ELF relocatable objects, as gcc and gas leave them
// ===================================================
//
// A `.o` file is code and data not yet placed: every section starts at address 0, and
// every place whose bytes depend on where something ends up (a call to another
// function, the address of a variable, a pointer in initialised data) is left as a
// relocation: "at offset O of section X, write the value of formula T for symbol S".
// The linker picks the addresses, then applies the relocations (relocations.ts). This
// file only reads; it trusts nothing in the bytes and refuses a malformed object with
// an `ElfError` naming the file and the structure at fault, never a stray exception.
//
// The file is an ELF header, section contents, and a table of section headers that
// says where each section's contents lie. The header's first bytes say how to read the
// rest: the class (ELF32 or ELF64, which sets the width of addresses, offsets and sizes
// and the layout of every table) and the byte order (x86 little-endian, SPARC
// big-endian). clustervm reads only ET_REL files of five machines, and each machine
// implies its class and byte order; a file that claims otherwise (an x32 object,
// a little-endian SPARC) is refused rather than half understood.
//
// The symbol table (.symtab) names what the sections define and what they need: a
// symbol is defined in a section (its value is an offset into that section), absolute
// (SHN_ABS: its value is the value), undefined (SHN_UNDEF: another object must define
// it), or COMMON (SHN_COMMON: an uninitialised global of gcc's -fcommon that the linker
// allocates, merging equal names; its value is then the alignment it needs, not an
// address). Symbol 0 is the null symbol, so `symbols[i]` is symbol index i.
//
// Relocations come in two forms. SHT_RELA entries carry their addend A in the entry
// (x86-64 and SPARC use them: a SPARC instruction has no room for an addend beside its
// immediate). SHT_REL entries do not: the addend is whatever the assembler left in the
// field being relocated (i386: `call foo` leaves -4 in its rel32), so it can only be
// read from the section's bytes when the relocation is applied; such a relocation says
// `explicitAddend: false` and its `addend` is 0 (relocations.ts `implicitAddend` reads
// the field). SPARC V9 adds one twist: R_SPARC_OLO10, the `%lo(sym) + offset` of a
// load, needs a second addend, which ELF64 SPARC packs into the type field of r_info:
// r_info = symbol << 32 | (offset & 0xffffff) << 8 | type. The type is thus r_info's
// low 8 bits on EM_SPARCV9, and the 24 bits above it are the sign-extended `addend2`;
// any other type with those bits set is refused.
//
// Section sizes, flags and alignments and symbol values and sizes are numbers (an
// object's are far below 2^53, and the reader refuses one that is not); a relocation's
// offset and addends are bigints, the width the relocation appliers compute in.

export const EM_SPARC = 2;
export const EM_386 = 3;
export const EM_SPARC32PLUS = 18;
export const EM_SPARCV9 = 43;
export const EM_X86_64 = 62;
export type ElfMachine = typeof EM_SPARC | typeof EM_386 | typeof EM_SPARC32PLUS | typeof EM_SPARCV9 | typeof EM_X86_64;

/** What a machine implies about its objects. */
interface MachineFacts {
  readonly name: string;
  /** The ELF class, which is also the width of its addresses (ld computes modulo 2^elfClass). */
  readonly elfClass: 32 | 64;
  readonly littleEndian: boolean;
}

export const ELF_MACHINES: Readonly<Record<ElfMachine, MachineFacts>> = {
  [EM_386]: { name: 'EM_386', elfClass: 32, littleEndian: true },
  [EM_X86_64]: { name: 'EM_X86_64', elfClass: 64, littleEndian: true },
  [EM_SPARC]: { name: 'EM_SPARC', elfClass: 32, littleEndian: false },
  // A V8+ object: 32-bit addresses, V9 instructions (what sparc gcc -m32 makes without -mcpu=v8).
  [EM_SPARC32PLUS]: { name: 'EM_SPARC32PLUS', elfClass: 32, littleEndian: false },
  [EM_SPARCV9]: { name: 'EM_SPARCV9', elfClass: 64, littleEndian: false },
};

export const SHT_NULL = 0;
const SHT_SYMTAB = 2;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
const SHN_LORESERVE = 0xff00;
const SHN_XINDEX = 0xffff;

const ET_REL = 1;
const ET_NAMES = ['ET_NONE', 'ET_REL', 'ET_EXEC', 'ET_DYN', 'ET_CORE'];
/** R_SPARC_OLO10, the one SPARC V9 type whose r_info carries a second addend. */
const R_SPARC_OLO10 = 33;

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  /** SHT_PROGBITS, SHT_NOBITS, SHT_RELA, ... */
  readonly type: number;
  /** SHF_WRITE (1), SHF_ALLOC (2), SHF_EXECINSTR (4), ... */
  readonly flags: number;
  /** 0 or 1 for none, else a power of two. */
  readonly addralign: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
  /** The contents; empty for SHT_NOBITS (.bss), whose `size` bytes are zeros. */
  readonly data: Uint8Array;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  /** An offset into its section; the value for SHN_ABS; the alignment for SHN_COMMON. */
  readonly value: number;
  readonly size: number;
  /** STB_LOCAL (0), STB_GLOBAL (1), STB_WEAK (2), ... */
  readonly binding: number;
  /** STT_NOTYPE (0), STT_OBJECT (1), STT_FUNC (2), STT_SECTION (3), STT_FILE (4), STT_SPARC_REGISTER (13), ... */
  readonly type: number;
  /** The index of its section, or SHN_UNDEF, SHN_ABS, SHN_COMMON. */
  readonly section: number;
}

export interface ElfRelocation {
  /** The index of the section it patches. */
  readonly section: number;
  /** Where the field starts in that section. */
  readonly offset: bigint;
  readonly type: number;
  /** An index into `symbols` (0: no symbol). */
  readonly symbol: number;
  /** A, for RELA; 0 for REL, whose addend is in the field (`explicitAddend` false). */
  readonly addend: bigint;
  readonly explicitAddend: boolean;
  /** R_SPARC_OLO10's second addend (ELF64 SPARC); 0 for every other relocation. */
  readonly addend2: bigint;
}

export interface ElfObject {
  readonly file: string;
  readonly elfClass: 32 | 64;
  readonly littleEndian: boolean;
  readonly machine: ElfMachine;
  /** e_flags: EF_SPARC_32PLUS and the like. */
  readonly flags: number;
  /** `sections[i]` is section index i; section 0 is the null section. */
  readonly sections: readonly ElfSection[];
  /** `symbols[i]` is symbol index i of .symtab; empty when the object has no symbol table. */
  readonly symbols: readonly ElfSymbol[];
  /** Every entry of every SHT_REL and SHT_RELA section, in file order. */
  readonly relocations: readonly ElfRelocation[];
}

/** Where each field lies in the structures of one ELF class. */
interface Layout {
  readonly wordBytes: 4 | 8;
  readonly headerBytes: number;
  readonly header: { readonly shoff: number; readonly flags: number; readonly shentsize: number; readonly shnum: number; readonly shstrndx: number };
  readonly sectionHeaderBytes: number;
  readonly sectionHeader: {
    readonly name: number; readonly type: number; readonly flags: number; readonly offset: number; readonly size: number;
    readonly link: number; readonly info: number; readonly addralign: number; readonly entsize: number;
  };
  readonly symbolBytes: number;
  readonly symbol: { readonly name: number; readonly value: number; readonly size: number; readonly info: number; readonly shndx: number };
  readonly relBytes: number;
  readonly relaBytes: number;
}

const LAYOUTS: Readonly<Record<32 | 64, Layout>> = {
  32: {
    wordBytes: 4,
    headerBytes: 52,
    header: { shoff: 32, flags: 36, shentsize: 46, shnum: 48, shstrndx: 50 },
    sectionHeaderBytes: 40,
    sectionHeader: { name: 0, type: 4, flags: 8, offset: 16, size: 20, link: 24, info: 28, addralign: 32, entsize: 36 },
    symbolBytes: 16,
    symbol: { name: 0, value: 4, size: 8, info: 12, shndx: 14 },
    relBytes: 8,
    relaBytes: 12,
  },
  64: {
    wordBytes: 8,
    headerBytes: 64,
    header: { shoff: 40, flags: 48, shentsize: 58, shnum: 60, shstrndx: 62 },
    sectionHeaderBytes: 64,
    sectionHeader: { name: 0, type: 4, flags: 8, offset: 24, size: 32, link: 40, info: 44, addralign: 48, entsize: 56 },
    symbolBytes: 24,
    symbol: { name: 0, info: 4, shndx: 6, value: 8, size: 16 },
    relBytes: 16,
    relaBytes: 24,
  },
};

interface SectionHeader {
  readonly nameOffset: number;
  readonly type: number;
  readonly flags: bigint;
  readonly offset: bigint;
  readonly size: bigint;
  readonly link: number;
  readonly info: number;
  readonly addralign: bigint;
  readonly entsize: bigint;
}

const hex = (value: bigint | number) => `0x${value.toString(16)}`;
const UTF8 = new TextDecoder();

/** Reads an ELF relocatable object; `file` names it in every error. */
export function readElfObject(file: string, bytes: Uint8Array): ElfObject {
  return new ObjectReader(file, bytes).read();
}

class ObjectReader {
  private readonly view: DataView;
  private littleEndian = true;
  private layout: Layout = LAYOUTS[32];

  constructor(private readonly file: string, private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(): ElfObject {
    const { elfClass, machine } = this.identify();
    const flags = this.u32(this.layout.header.flags);
    const { headers, namesIndex } = this.sectionHeaders();
    const sections = this.sections(headers, namesIndex);
    const symbolTables = sections.filter((section) => section.type === SHT_SYMTAB);
    if (symbolTables.length > 1) this.fail(`has ${symbolTables.length} symbol tables (sections ${symbolTables.map(({ index }) => index).join(', ')}); ELF allows one`);
    const symbolTable = symbolTables[0];
    const symbols = symbolTable ? this.symbols(symbolTable, sections) : [];
    const relocations = sections
      .filter((section) => section.type === SHT_REL || section.type === SHT_RELA)
      .flatMap((section) => this.relocations(section, sections, symbolTable, symbols.length, machine));
    return { file: this.file, elfClass, littleEndian: this.littleEndian, machine, flags, sections, symbols, relocations };
  }

  private fail(what: string): never {
    throw new ElfError(`${this.file}: ${what}`);
  }

  private identify(): { elfClass: 32 | 64; machine: ElfMachine } {
    const { bytes } = this;
    if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      this.fail('is not an ELF file (it does not start with the bytes 7f 45 4c 46, "\\x7fELF")');
    }
    if (bytes.length < 16) this.fail(`is truncated: ${bytes.length} bytes, shorter than the 16 identification bytes of an ELF header`);
    const classByte = bytes[4]!;
    if (classByte !== 1 && classByte !== 2) this.fail(`has an unknown ELF class ${classByte} (1 is ELF32, 2 is ELF64)`);
    const elfClass = classByte === 1 ? 32 : 64;
    const dataByte = bytes[5]!;
    if (dataByte !== 1 && dataByte !== 2) this.fail(`has an unknown byte order ${dataByte} (1 is little-endian, 2 is big-endian)`);
    if (bytes[6] !== 1) this.fail(`has ELF version ${bytes[6]!}, not 1`);
    this.littleEndian = dataByte === 1;
    this.layout = LAYOUTS[elfClass];
    if (bytes.length < this.layout.headerBytes) {
      this.fail(`is truncated: ${bytes.length} bytes, shorter than the ${this.layout.headerBytes}-byte ELF${elfClass} header`);
    }
    const type = this.u16(16);
    if (type !== ET_REL) this.fail(`is not a relocatable object: e_type is ${type} (${ET_NAMES[type] ?? 'unknown'}), not 1 (ET_REL)`);
    const machineNumber = this.u16(18);
    if (!(machineNumber in ELF_MACHINES)) {
      const known = Object.entries(ELF_MACHINES).map(([number, { name }]) => `${name} (${number})`).join(', ');
      this.fail(`has an unknown machine: e_machine is ${machineNumber}; clustervm reads ${known}`);
    }
    const machine = machineNumber as ElfMachine;
    const facts = ELF_MACHINES[machine];
    if (facts.elfClass !== elfClass) this.fail(`is an ELF${elfClass} object of ${facts.name}, whose objects are ELF${facts.elfClass}`);
    if (facts.littleEndian !== this.littleEndian) {
      this.fail(`is a ${this.littleEndian ? 'little' : 'big'}-endian object of ${facts.name}, which is ${facts.littleEndian ? 'little' : 'big'}-endian`);
    }
    return { elfClass, machine };
  }

  private sectionHeaders(): { headers: SectionHeader[]; namesIndex: number } {
    const { header, sectionHeaderBytes } = this.layout;
    const offset = this.word(header.shoff);
    const entrySize = this.u16(header.shentsize);
    const count = this.u16(header.shnum);
    const namesIndex = this.u16(header.shstrndx);
    if (count === 0) {
      if (offset !== 0n) this.fail('uses extended section numbering (e_shnum 0 with section headers), which clustervm does not read');
      return { headers: [], namesIndex: 0 };
    }
    if (entrySize !== sectionHeaderBytes) {
      this.fail(`has section headers of ${entrySize} bytes (e_shentsize); ELF${this.layout.wordBytes * 8} section headers are ${sectionHeaderBytes}`);
    }
    if (namesIndex === SHN_XINDEX) this.fail('keeps its section name table index in section 0 (e_shstrndx SHN_XINDEX), which clustervm does not read');
    if (namesIndex >= count) this.fail(`names section ${namesIndex} as its section name table (e_shstrndx), but it has ${count} sections`);
    const headers: SectionHeader[] = [];
    for (let index = 0; index < count; index++) {
      const start = offset + BigInt(index * sectionHeaderBytes);
      if (start + BigInt(sectionHeaderBytes) > BigInt(this.bytes.length)) {
        this.fail(`section header ${index} lies past the end of the file (offset ${hex(start)}, file is ${this.bytes.length} bytes)`);
      }
      headers.push(this.sectionHeader(Number(start)));
    }
    return { headers, namesIndex };
  }

  private sectionHeader(at: number): SectionHeader {
    const field = this.layout.sectionHeader;
    return {
      nameOffset: this.u32(at + field.name),
      type: this.u32(at + field.type),
      flags: this.word(at + field.flags),
      offset: this.word(at + field.offset),
      size: this.word(at + field.size),
      link: this.u32(at + field.link),
      info: this.u32(at + field.info),
      addralign: this.word(at + field.addralign),
      entsize: this.word(at + field.entsize),
    };
  }

  /** The sections, named from section `namesIndex` (0: the object has no section names). */
  private sections(headers: readonly SectionHeader[], namesIndex: number): ElfSection[] {
    const names = namesIndex === 0 ? undefined : this.contents(headers[namesIndex]!, `section ${namesIndex} (the section name table)`);
    return headers.map((header, index) => {
      const name = names ? this.string(names, header.nameOffset, `the name of section ${index}`) : '';
      const what = `section ${index} (${name})`;
      const { addralign } = header;
      if (addralign > 1n && (addralign & (addralign - 1n)) !== 0n) this.fail(`${what} has alignment ${addralign}, not a power of two`);
      return {
        index,
        name,
        type: header.type,
        flags: this.number(header.flags, `the flags of ${what}`),
        addralign: this.number(addralign, `the alignment of ${what}`),
        size: this.number(header.size, `the size of ${what}`),
        link: header.link,
        info: header.info,
        entsize: this.number(header.entsize, `the entry size of ${what}`),
        data: this.contents(header, what),
      };
    });
  }

  /** A section's bytes, checked to lie within the file; none for SHT_NULL and SHT_NOBITS. */
  private contents(header: SectionHeader, what: string): Uint8Array {
    if (header.type === SHT_NULL || header.type === SHT_NOBITS) return new Uint8Array(0);
    if (header.offset + header.size > BigInt(this.bytes.length)) {
      this.fail(`the contents of ${what} lie past the end of the file (offset ${hex(header.offset)}, ${hex(header.size)} bytes, file is ${this.bytes.length} bytes)`);
    }
    const start = Number(header.offset);
    return this.bytes.subarray(start, start + Number(header.size));
  }

  private string(table: Uint8Array, offset: number, what: string): string {
    if (offset >= table.length) this.fail(`${what} starts at offset ${hex(offset)} of a string table of ${table.length} bytes`);
    const end = table.indexOf(0, offset);
    if (end < 0) this.fail(`${what} runs past the end of its string table (no terminating NUL)`);
    return UTF8.decode(table.subarray(offset, end));
  }

  private tableOf(section: ElfSection, entryBytes: number, kind: string): number {
    const what = `${kind} section ${section.index} (${section.name})`;
    if (section.entsize !== entryBytes) this.fail(`${what} has entries of ${section.entsize} bytes (sh_entsize), not ${entryBytes}`);
    if (section.size % entryBytes !== 0) this.fail(`${what} is ${section.size} bytes, not a whole number of ${entryBytes}-byte entries`);
    return section.size / entryBytes;
  }

  private symbols(table: ElfSection, sections: readonly ElfSection[]): ElfSymbol[] {
    const { symbolBytes, symbol: field } = this.layout;
    const count = this.tableOf(table, symbolBytes, 'symbol table');
    const strings = sections[table.link];
    if (!strings || strings.type === SHT_NULL || strings.type === SHT_NOBITS) {
      this.fail(`symbol table section ${table.index} (${table.name}) links to section ${table.link} for its names, which holds no strings`);
    }
    const base = table.data.byteOffset - this.bytes.byteOffset;
    return Array.from({ length: count }, (_, index): ElfSymbol => {
      const at = base + index * symbolBytes;
      const name = this.string(strings.data, this.u32(at + field.name), `the name of symbol ${index}`);
      const what = `symbol ${index} (${name})`;
      const info = this.u8(at + field.info);
      const section = this.u16(at + field.shndx);
      if (section === SHN_XINDEX) this.fail(`${what} keeps its section index in SHT_SYMTAB_SHNDX, which clustervm does not read`);
      if (section >= SHN_LORESERVE && section !== SHN_ABS && section !== SHN_COMMON) {
        this.fail(`${what} lies in the reserved section index ${hex(section)}`);
      }
      if (section < SHN_LORESERVE && section >= sections.length) this.fail(`${what} lies in section ${section}, but there are ${sections.length} sections`);
      return {
        index,
        name,
        value: this.number(this.word(at + field.value), `the value of ${what}`),
        size: this.number(this.word(at + field.size), `the size of ${what}`),
        binding: info >> 4,
        type: info & 0xf,
        section,
      };
    });
  }

  private relocations(
    table: ElfSection, sections: readonly ElfSection[], symbolTable: ElfSection | undefined, symbolCount: number, machine: ElfMachine,
  ): ElfRelocation[] {
    const explicitAddend = table.type === SHT_RELA;
    const { wordBytes } = this.layout;
    const entryBytes = explicitAddend ? this.layout.relaBytes : this.layout.relBytes;
    const what = `relocation section ${table.index} (${table.name})`;
    const count = this.tableOf(table, entryBytes, explicitAddend ? 'SHT_RELA' : 'SHT_REL');
    if (!symbolTable || table.link !== symbolTable.index) {
      this.fail(`${what} links to section ${table.link} for its symbols, which is not the symbol table`);
    }
    const target = sections[table.info];
    if (!target || target.type === SHT_NULL || target.type === SHT_NOBITS || target === table) {
      this.fail(`${what} applies to section ${table.info} (sh_info), which has no contents to relocate`);
    }
    const base = table.data.byteOffset - this.bytes.byteOffset;
    return Array.from({ length: count }, (_, index): ElfRelocation => {
      const at = base + index * entryBytes;
      const entry = `relocation ${index} of ${what}`;
      const offset = this.word(at);
      const info = this.word(at + wordBytes);
      const { symbol, type, addend2 } = this.splitInfo(info, machine, entry);
      if (symbol >= symbolCount) this.fail(`${entry} names symbol ${symbol}, but the symbol table has ${symbolCount} symbols`);
      if (offset >= BigInt(target.size)) {
        this.fail(`${entry} at offset ${hex(offset)} lies past the end of section ${target.index} (${target.name}, ${target.size} bytes)`);
      }
      const addend = explicitAddend ? this.signedWord(at + 2 * wordBytes) : 0n;
      return { section: target.index, offset, type, symbol, addend, explicitAddend, addend2 };
    });
  }

  /** r_info's symbol index and type, and on ELF64 SPARC the second addend packed above the type. */
  private splitInfo(info: bigint, machine: ElfMachine, entry: string): { symbol: number; type: number; addend2: bigint } {
    if (this.layout.wordBytes === 4) return { symbol: Number(info >> 8n), type: Number(info & 0xffn), addend2: 0n };
    const symbol = Number(info >> 32n);
    if (machine !== EM_SPARCV9) return { symbol, type: Number(info & 0xffffffffn), addend2: 0n };
    const type = Number(info & 0xffn);
    const addend2 = BigInt.asIntN(24, (info >> 8n) & 0xffffffn);
    if (addend2 !== 0n && type !== R_SPARC_OLO10) {
      this.fail(`${entry} has type ${type} with a second addend ${addend2} in r_info, which only R_SPARC_OLO10 (33) carries`);
    }
    return { symbol, type, addend2 };
  }

  private number(value: bigint, what: string): number {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} is ${hex(value)}, beyond 2^53`);
    return Number(value);
  }

  private u8(at: number): number {
    return this.view.getUint8(at);
  }

  private u16(at: number): number {
    return this.view.getUint16(at, this.littleEndian);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.littleEndian);
  }

  /** An address, offset or size: 4 bytes in ELF32, 8 in ELF64. */
  private word(at: number): bigint {
    return this.layout.wordBytes === 4 ? BigInt(this.u32(at)) : this.view.getBigUint64(at, this.littleEndian);
  }

  private signedWord(at: number): bigint {
    return this.layout.wordBytes === 4 ? BigInt(this.view.getInt32(at, this.littleEndian)) : this.view.getBigInt64(at, this.littleEndian);
  }
}
