import { readFileSync } from 'node:fs';
import { ElfError, readElfObject, readLineTable, type LineRow, type LineSequence, type PlacedObject } from '../../linker/index.js';

/** A `file.c:LINE` the debugger could not place, with what the user can do. */
export class SourceLineError extends Error {}

/** `file.c:LINE` as the console and `break` take it; undefined for anything else. */
export function parseSourceLine(text: string): { file: string; line: number } | undefined {
  const match = /^(.+\.[A-Za-z]+):(\d+)$/.exec(text);
  return match ? { file: match[1]!, line: Number(match[2]) } : undefined;
}

/**
 * The source lines of a node's C objects, from their DWARF, at the addresses the linker
 * placed them: where `file.c:LINE` starts and which line an address comes from. Objects
 * never move after boot (a re-link patches call sites, not code), so a node's table is
 * read once.
 */
export class SourceLines {
  private readonly sequences: LineSequence[] = [];
  private readonly texts = new Map<string, readonly string[] | undefined>();

  constructor(objects: readonly PlacedObject[]) {
    for (const placed of objects) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(placed.path);
      } catch {
        throw new SourceLineError(`cannot read ${placed.path}, the object compiled from ${placed.file}`);
      }
      const addresses = new Map(placed.sections.map((section) => [section.index, section.address]));
      try {
        this.sequences.push(...readLineTable(readElfObject(placed.file, bytes), (index) => addresses.get(index)));
      } catch (error) {
        if (error instanceof ElfError) throw new SourceLineError(error.message);
        throw error;
      }
    }
    this.sequences.sort((a, b) => (a.rows[0]?.address ?? 0) - (b.rows[0]?.address ?? 0));
  }

  /** The files a `file.c` names: the same name, or one that ends in `/file.c`. */
  private matches(row: LineRow, file: string): boolean {
    return row.file === file || row.file.endsWith(`/${file}`) || row.path === file;
  }

  /**
   * Where a breakpoint at `file`:`line` goes: the lowest statement address of that line,
   * or, as gdb does, of the next line that has code.
   */
  addressOf(file: string, line: number): number {
    const rows = this.sequences.flatMap((sequence) => sequence.rows).filter((row) => row.isStmt && this.matches(row, file));
    if (rows.length === 0) throw new SourceLineError(`no code from ${file} on this node (its C code comes from ${this.fileNames().join(', ') || 'no file'})`);
    const nextLine = Math.min(...rows.filter((row) => row.line >= line).map((row) => row.line));
    if (!Number.isFinite(nextLine)) throw new SourceLineError(`${file} has no code at line ${line} or after it`);
    return Math.min(...rows.filter((row) => row.line === nextLine).map((row) => row.address));
  }

  /** The row `address` lies in, if it is C code. */
  lineAt(address: number): LineRow | undefined {
    for (const sequence of this.sequences) {
      if (sequence.rows.length === 0 || address < sequence.rows[0]!.address || address >= sequence.end) continue;
      let found: LineRow | undefined;
      for (const row of sequence.rows) {
        if (row.address > address) break;
        found = row;
      }
      return found;
    }
    return undefined;
  }

  /** The text of a row's line, when its file can be read. */
  text(row: LineRow): string | undefined {
    if (!this.texts.has(row.path)) {
      let lines: string[] | undefined;
      try {
        lines = readFileSync(row.path, 'utf8').split('\n');
      } catch {
        lines = undefined;
      }
      this.texts.set(row.path, lines);
    }
    return this.texts.get(row.path)?.[row.line - 1];
  }

  private fileNames(): string[] {
    const names = new Set(this.sequences.flatMap((sequence) => sequence.rows.map((row) => row.file)));
    return [...names].filter((name) => !name.startsWith('/')).sort();
  }
}
