// Source lines from DWARF's .debug_line
// =====================================
//
// gcc -g describes, for each range of machine code, the source file and line it came
// from, as a small program for a state machine (DWARF 5, section 6.2): registers
// address, file, line and is_stmt; "special" opcodes advance address and line at once
// and append a row; standard and extended opcodes set one register (DW_LNE_set_address
// starts a sequence, DW_LNE_end_sequence ends it just past its last byte). A header
// before each unit's program lists its directories and files; DWARF 5 (gcc 11 and
// later) describes those entries by a table of (content, form) pairs, older versions
// by fixed string lists. Both are read here.
//
// In a relocatable object the program holds section offsets, not addresses: the
// operand of each DW_LNE_set_address has a relocation against its code section, and a
// file name stored as DW_FORM_line_strp has one against .debug_line_str. So the
// section is relocated first, with the loadable sections where the linker put them and
// the others at 0 (which makes a string reference its offset), exactly as a debugger
// relocates an object it loads.
import { ElfError, type ElfObject } from './elf-object.js';
import { relocatedSection } from './relocations.js';

/** One row of the line table: the code from `address` on comes from `file`:`line`. */
export interface LineRow {
  readonly address: number;
  /** The file as the compiler names it: relative to its working directory, or absolute. */
  readonly file: string;
  /** The same file's absolute path, where its text can be read. */
  readonly path: string;
  readonly line: number;
  /** A recommended breakpoint place (DWARF's is_stmt), not a mid-statement row. */
  readonly isStmt: boolean;
}

/** A run of contiguous code: its rows in address order, and the address past its end. */
export interface LineSequence {
  readonly rows: readonly LineRow[];
  readonly end: number;
}

const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_negate_stmt = 6;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

const DW_FORM_block = 0x09;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;

/** A cursor over a section's bytes in the object's byte order. */
class Reader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, readonly littleEndian: boolean, private readonly where: string, public offset = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): number {
    if (this.offset + count > this.bytes.length) throw new ElfError(`${this.where}: the line table ends in the middle of an entry`);
    const at = this.offset;
    this.offset += count;
    return at;
  }

  u8(): number { return this.view.getUint8(this.need(1)); }
  u16(): number { return this.view.getUint16(this.need(2), this.littleEndian); }
  u32(): number { return this.view.getUint32(this.need(4), this.littleEndian); }
  u64(): number { return Number(this.view.getBigUint64(this.need(8), this.littleEndian)); }
  i8(): number { return this.view.getInt8(this.need(1)); }
  word(bytes: number): number { return bytes === 8 ? this.u64() : bytes === 4 ? this.u32() : bytes === 2 ? this.u16() : this.u8(); }
  skip(count: number): void { this.need(count); }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return (byte & 0x40) !== 0 ? result - scale : result;
    }
  }

  cString(): string {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw new ElfError(`${this.where}: a string in the line table has no end`);
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, end));
    this.offset = end + 1;
    return text;
  }
}

interface FileEntry { readonly file: string; readonly path: string }

const joinPath = (dir: string, name: string) => (name.startsWith('/') || dir === '' ? name : `${dir.replace(/\/$/, '')}/${name}`);

/** Every sequence of the object's line table, with its sections at `addressOf`. */
export function readLineTable(object: ElfObject, addressOf: (section: number) => number | undefined): LineSequence[] {
  const lineSection = object.sections.find((s) => s.name === '.debug_line');
  if (!lineSection) return [];
  const where = `${object.file}: .debug_line`;
  const strings = (name: string) => {
    const section = object.sections.find((s) => s.name === name);
    return section ? relocatedSection(object, section.index, addressOf) : new Uint8Array();
  };
  const lineStrings = strings('.debug_line_str');
  const debugStrings = strings('.debug_str');
  const bytes = relocatedSection(object, lineSection.index, addressOf);
  const reader = new Reader(bytes, object.littleEndian, where);
  const sequences: LineSequence[] = [];
  while (reader.offset < bytes.length) {
    let unitLength = reader.u32();
    let offsetBytes = 4;
    if (unitLength === 0xffff_ffff) {
      unitLength = reader.u64();
      offsetBytes = 8;
    }
    const unitEnd = reader.offset + unitLength;
    const version = reader.u16();
    if (version < 2 || version > 5) throw new ElfError(`${where}: DWARF line table version ${version} is not one clustervm reads (2 to 5)`);
    let addressBytes = object.elfClass / 8;
    if (version >= 5) {
      addressBytes = reader.u8();
      reader.u8(); // segment selector size
    }
    const headerLength = reader.word(offsetBytes);
    const programStart = reader.offset + headerLength;
    const minInstruction = reader.u8();
    if (version >= 4) reader.u8(); // maximum operations per instruction: 1 outside VLIW
    const defaultIsStmt = reader.u8() !== 0;
    const lineBase = reader.i8();
    const lineRange = reader.u8();
    const opcodeBase = reader.u8();
    const argumentCounts = Array.from({ length: opcodeBase - 1 }, () => reader.u8());
    const stringAt = (table: Uint8Array, offset: number) => new Reader(table, object.littleEndian, where, offset).cString();

    const readForm = (form: number): string | number | undefined => {
      switch (form) {
        case DW_FORM_string: return reader.cString();
        case DW_FORM_line_strp: return stringAt(lineStrings, reader.word(offsetBytes));
        case DW_FORM_strp: return stringAt(debugStrings, reader.word(offsetBytes));
        case DW_FORM_udata: return reader.uleb();
        case DW_FORM_data1: return reader.u8();
        case DW_FORM_data2: return reader.u16();
        case DW_FORM_data4: return reader.u32();
        case DW_FORM_data8: return reader.u64();
        case DW_FORM_data16: reader.skip(16); return undefined;
        case DW_FORM_block: reader.skip(reader.uleb()); return undefined;
        default: throw new ElfError(`${where}: line table entry form 0x${form.toString(16)} is not one clustervm reads`);
      }
    };
    // DWARF 5: a format (content, form pairs), a count, then the entries.
    const readEntries = (): { name: string; dir: number }[] => {
      const format = Array.from({ length: reader.u8() }, () => ({ content: reader.uleb(), form: reader.uleb() }));
      return Array.from({ length: reader.uleb() }, () => {
        let name = '';
        let dir = 0;
        for (const { content, form } of format) {
          const value = readForm(form);
          if (content === DW_LNCT_path && typeof value === 'string') name = value;
          if (content === DW_LNCT_directory_index && typeof value === 'number') dir = value;
        }
        return { name, dir };
      });
    };

    let directories: string[];
    let files: FileEntry[];
    if (version >= 5) {
      directories = readEntries().map((entry) => entry.name);
      const compDir = directories[0] ?? '';
      // Directory 0 is the compilation directory: a file there is named as gcc was given it.
      files = readEntries().map(({ name, dir }) => ({
        file: dir === 0 ? name : joinPath(directories[dir] ?? '', name),
        path: joinPath(compDir, joinPath(dir === 0 ? '' : directories[dir] ?? '', name)),
      }));
    } else {
      directories = [''];
      for (let dir = reader.cString(); dir !== ''; dir = reader.cString()) directories.push(dir);
      files = [{ file: '', path: '' }];
      for (let name = reader.cString(); name !== ''; name = reader.cString()) {
        const dir = reader.uleb();
        reader.uleb(); // modification time
        reader.uleb(); // length
        const file = joinPath(directories[dir] ?? '', name);
        files.push({ file, path: file });
      }
    }

    reader.offset = programStart;
    let rows: LineRow[] = [];
    let address = 0;
    let file = 1;
    let line = 1;
    let isStmt = defaultIsStmt;
    const reset = () => {
      address = 0;
      file = 1;
      line = 1;
      isStmt = defaultIsStmt;
    };
    const emit = () => {
      const entry = files[file] ?? { file: `file ${file}`, path: '' };
      rows.push({ address, file: entry.file, path: entry.path, line, isStmt });
    };
    while (reader.offset < unitEnd) {
      const opcode = reader.u8();
      if (opcode >= opcodeBase) {
        const adjusted = opcode - opcodeBase;
        address += Math.floor(adjusted / lineRange) * minInstruction;
        line += lineBase + (adjusted % lineRange);
        emit();
      } else if (opcode === 0) {
        const length = reader.uleb();
        const end = reader.offset + length;
        const sub = reader.u8();
        if (sub === DW_LNE_end_sequence) {
          sequences.push({ rows, end: address });
          rows = [];
          reset();
        } else if (sub === DW_LNE_set_address) {
          address = reader.word(addressBytes);
        }
        reader.offset = end;
      } else if (opcode === DW_LNS_copy) {
        emit();
      } else if (opcode === DW_LNS_advance_pc) {
        address += reader.uleb() * minInstruction;
      } else if (opcode === DW_LNS_advance_line) {
        line += reader.sleb();
      } else if (opcode === DW_LNS_set_file) {
        file = reader.uleb();
      } else if (opcode === DW_LNS_negate_stmt) {
        isStmt = !isStmt;
      } else if (opcode === DW_LNS_const_add_pc) {
        address += Math.floor((255 - opcodeBase) / lineRange) * minInstruction;
      } else if (opcode === DW_LNS_fixed_advance_pc) {
        address += reader.u16();
      } else {
        // set_column, basic_block, prologue_end and the rest: their operands, skipped.
        for (let i = 0; i < argumentCounts[opcode - 1]!; i++) reader.uleb();
      }
    }
    reader.offset = unitEnd;
  }
  return sequences;
}
