// A small ELF executable writer, for debuggers rather than loaders. It writes an ET_EXEC
// header of the machine's class and byte order, the sections given (each at its own
// address, with its own flags), their names and, when there are symbols, a symbol table.
// There are no program headers: nothing loads this file; gdb reads sections, symbols
// and DWARF from it.
import { ELF_MACHINES, SHT_NOBITS, type ElfMachine } from './elf-object.js';

const ET_EXEC = 2;
const EV_CURRENT = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const STB_GLOBAL = 1;
const STT_NOTYPE = 0;
const STT_FUNC = 2;

export interface OutputSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly address: number;
  readonly align: number;
  /** The contents; a SHT_NOBITS section gives only `size`. */
  readonly bytes?: Uint8Array;
  readonly size?: number;
}

/** A global symbol at `address` in the `section`th of the sections given (from 0). */
export interface OutputSymbol {
  readonly name: string;
  readonly address: number;
  readonly section: number;
  /** A function's entry (STT_FUNC); any other label is STT_NOTYPE, which gdb still takes as code in a code section. */
  readonly function: boolean;
}

/** What a section header holds beyond the section itself: the symbol table's links. */
interface HeaderExtras {
  readonly link?: number;
  readonly info?: number;
  readonly entrySize?: number;
}

/** `.strtab` and `.symtab` for `symbols`, the string table first: the symbol table links it by header index `strtabIndex`. */
function symbolSections(symbols: readonly OutputSymbol[], wide: boolean, littleEndian: boolean,
                        strtabIndex: number): (OutputSection & HeaderExtras)[] {
  const encoder = new TextEncoder();
  const strings: number[] = [0];
  const entrySize = wide ? 24 : 16;
  const table = new Uint8Array((symbols.length + 1) * entrySize);
  const view = new DataView(table.buffer);
  symbols.forEach((symbol, i) => {
    const nameAt = strings.length;
    strings.push(...encoder.encode(symbol.name), 0);
    const at = (i + 1) * entrySize;
    const info = (STB_GLOBAL << 4) | (symbol.function ? STT_FUNC : STT_NOTYPE);
    // Section header indices count the null header first.
    const shndx = symbol.section + 1;
    view.setUint32(at, nameAt, littleEndian);
    if (wide) {
      view.setUint8(at + 4, info);
      view.setUint16(at + 6, shndx, littleEndian);
      view.setBigUint64(at + 8, BigInt(symbol.address), littleEndian);
    } else {
      view.setUint32(at + 4, symbol.address, littleEndian);
      view.setUint8(at + 12, info);
      view.setUint16(at + 14, shndx, littleEndian);
    }
  });
  return [
    { name: '.strtab', type: SHT_STRTAB, flags: 0, address: 0, align: 1, bytes: Uint8Array.from(strings) },
    // sh_info: the first global symbol's index; every one is global.
    { name: '.symtab', type: SHT_SYMTAB, flags: 0, address: 0, align: wide ? 8 : 4, bytes: table, link: strtabIndex, info: 1, entrySize },
  ];
}

const alignUp = (value: number, align: number) => Math.ceil(value / Math.max(1, align)) * Math.max(1, align);

/** The bytes of an ET_EXEC file holding `sections` and `symbols` (a section-name table is added). */
export function writeElfExecutable(machine: ElfMachine, sections: readonly OutputSection[],
                                   symbols: readonly OutputSymbol[] = []): Uint8Array {
  const { elfClass, littleEndian } = ELF_MACHINES[machine];
  const wide = elfClass === 64;
  const headerBytes = wide ? 64 : 52;
  const sectionHeaderBytes = wide ? 64 : 40;
  const encoder = new TextEncoder();
  const names: number[] = [0];
  const nameOffset = (name: string) => {
    const at = names.length;
    names.push(...encoder.encode(name), 0);
    return at;
  };
  const withSymbols: (OutputSection & HeaderExtras)[] = symbols.length === 0
    ? [...sections] : [...sections, ...symbolSections(symbols, wide, littleEndian, sections.length + 1)];
  const all: (OutputSection & HeaderExtras & { nameAt: number })[] = withSymbols.map((section) => ({ ...section, nameAt: nameOffset(section.name) }));
  const tableName = nameOffset('.shstrtab');
  all.push({ name: '.shstrtab', type: SHT_STRTAB, flags: 0, address: 0, align: 1, bytes: Uint8Array.from(names), nameAt: tableName });

  let offset = headerBytes;
  const offsets = all.map((section) => {
    if (section.type === SHT_NOBITS) return offset;
    offset = alignUp(offset, section.align);
    const at = offset;
    offset += section.bytes?.length ?? 0;
    return at;
  });
  const shoff = alignUp(offset, 8);
  const bytes = new Uint8Array(shoff + (all.length + 1) * sectionHeaderBytes);
  const view = new DataView(bytes.buffer);
  const word = (at: number, value: number) => (wide ? view.setBigUint64(at, BigInt(value), littleEndian) : view.setUint32(at, value, littleEndian));
  bytes.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, littleEndian ? 1 : 2, EV_CURRENT]);
  view.setUint16(16, ET_EXEC, littleEndian);
  view.setUint16(18, machine, littleEndian);
  view.setUint32(20, EV_CURRENT, littleEndian);
  // e_entry and e_phoff stay 0; then e_shoff, e_flags, and the sizes and counts.
  const shoffAt = wide ? 40 : 32;
  word(shoffAt, shoff);
  const sizesAt = shoffAt + (wide ? 8 : 4) + 4;
  view.setUint16(sizesAt, headerBytes, littleEndian);
  view.setUint16(sizesAt + 6, sectionHeaderBytes, littleEndian);
  view.setUint16(sizesAt + 8, all.length + 1, littleEndian);
  view.setUint16(sizesAt + 10, all.length, littleEndian); // .shstrtab is the last section

  all.forEach((section, i) => {
    if (section.bytes && section.type !== SHT_NOBITS) bytes.set(section.bytes, offsets[i]);
    // Section header i + 1 (header 0 is the null section): name, type, flags, address,
    // offset, size, link, info, alignment, entry size.
    const at = shoff + (i + 1) * sectionHeaderBytes;
    view.setUint32(at, section.nameAt, littleEndian);
    view.setUint32(at + 4, section.type, littleEndian);
    const size = section.bytes?.length ?? section.size ?? 0;
    if (wide) {
      word(at + 8, section.flags);
      word(at + 16, section.address);
      word(at + 24, offsets[i]!);
      word(at + 32, size);
      view.setUint32(at + 40, section.link ?? 0, littleEndian);
      view.setUint32(at + 44, section.info ?? 0, littleEndian);
      word(at + 48, section.align);
      word(at + 56, section.entrySize ?? 0);
    } else {
      word(at + 8, section.flags);
      word(at + 12, section.address);
      word(at + 16, offsets[i]!);
      word(at + 20, size);
      view.setUint32(at + 24, section.link ?? 0, littleEndian);
      view.setUint32(at + 28, section.info ?? 0, littleEndian);
      word(at + 32, section.align);
      word(at + 36, section.entrySize ?? 0);
    }
  });
  return bytes;
}
