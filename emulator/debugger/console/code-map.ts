import { encoderFor } from '../../../linker/index.js';
import { CODE_END, FIRMWARE_BASE, LINK_AREA, PROGRAM_BASE, type Node } from '../../machine/index.js';
import type { LineRow } from '../../../linker/index.js';
import { DebugError, type DebugSession } from '../session.js';
import type { SourceLines } from '../source-lines.js';
import { SymbolTable } from '../symbols.js';

interface Range {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/**
 * What lies at a code address of one node, for annotating listings: the symbol (with
 * the firmware, which has no linker symbols, named by its base), the C source line, and
 * whether the address is in a trampoline, the mediator or elsewhere in the link area.
 * Built per use, since re-links move trampolines in and out of use.
 */
export class CodeMap {
  private readonly symbols: SymbolTable;
  private readonly names: ReadonlySet<string>;
  private readonly mediator: Range;
  private readonly trampolines: Range[];

  /**
   * The map of a node in a session, with its C source lines. An object that cannot be
   * read any more (its cache file was removed) costs the annotations, not the listing.
   */
  static of(session: DebugSession, node: number): CodeMap {
    let lines: SourceLines | undefined;
    try {
      lines = session.sourceLines(node);
    } catch (error) {
      if (!(error instanceof DebugError)) throw error;
    }
    return new CodeMap(session.cluster.node(node), lines);
  }

  constructor(node: Node, private readonly lines?: SourceLines) {
    this.symbols = new SymbolTable(node);
    this.names = new Set(this.symbols.names());
    const plan = node.linker.plan;
    this.mediator = { start: plan.mediator.address, end: plan.mediator.address + plan.mediator.bytes.length, name: 'mediator' };
    const slot = encoderFor(node.isa).trampolineSlotBytes;
    this.trampolines = node.linker.symbolNames().flatMap((symbol) => {
      const at = node.linker.binding(symbol).trampoline;
      return at === undefined ? [] : [{ start: at, end: at + slot, name: symbol }];
    });
  }

  /** The symbol an address lies in, and where it starts. */
  symbolAt(address: number): { readonly name: string; readonly start: number } | undefined {
    if (address >= FIRMWARE_BASE && address < PROGRAM_BASE) return { name: 'firmware', start: FIRMWARE_BASE };
    if (address < PROGRAM_BASE || address >= CODE_END) return undefined;
    if (address >= LINK_AREA && !within(this.mediator, address)) {
      // Stubs and free slots of the link area have no symbols: the nearest one would mislead.
      const trampoline = this.trampolines.find((range) => within(range, address));
      return trampoline && { name: `trampoline:${trampoline.name}`, start: trampoline.start };
    }
    // SymbolTable names the nearest symbol (right where several modules export one name);
    // its offset suffix gives the symbol's start.
    const described = this.symbols.describe(address);
    if (!described) return undefined;
    const suffix = /^(.*)\+(\d+)$/.exec(described);
    return suffix && this.names.has(suffix[1]!)
      ? { name: suffix[1]!, start: address - Number(suffix[2]) }
      : { name: described, start: address };
  }

  /** `name` or `name+offset`, or undefined where no symbol covers the address. */
  describe(address: number): string | undefined {
    const symbol = this.symbolAt(address);
    if (!symbol) return undefined;
    return address === symbol.start ? symbol.name : `${symbol.name}+${address - symbol.start}`;
  }

  /** The linkage code an address lies in, as a listing marks it. */
  region(address: number): string | undefined {
    if (within(this.mediator, address)) return 'mediator';
    const trampoline = this.trampolines.find((range) => within(range, address));
    if (trampoline) return `trampoline ${trampoline.name}`;
    return address >= LINK_AREA && address < CODE_END ? 'link area' : undefined;
  }

  /** The C source line an address comes from. */
  sourceLine(address: number): LineRow | undefined {
    return this.lines?.lineAt(address);
  }

  /** The text of a source line, when its file can be read. */
  sourceText(row: LineRow): string | undefined {
    return this.lines?.text(row);
  }

  /** `0x1100c0 <foo>`, `0x110006 <step+6> at chain.c:8` in C, or the bare address. */
  location(address: number): string {
    const name = this.describe(address);
    const row = this.sourceLine(address);
    return (name ? `0x${address.toString(16)} <${name}>` : `0x${address.toString(16)}`) + (row ? ` at ${row.file}:${row.line}` : '');
  }
}

function within(range: Range, address: number): boolean {
  return address >= range.start && address < range.end;
}
