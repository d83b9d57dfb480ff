import { ISAS } from '../../../../isa/index.js';
import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { symbolWords } from '../completion.js';
import { expectArguments, parseAddress, parseCount } from '../arguments.js';
import { decode } from '../disassembly.js';
import { hex } from '../format.js';
import { MAX_READ_BYTES, readMemory, readUpTo } from '../memory.js';
import { hexDump, quoted, unitDump, type NumberFormat, type UnitBytes } from '../memory-format.js';
import { evaluate } from '../expression.js';
import { MAX_LISTING, printListing } from './disas.js';

/** How far one x/s string may run before it is cut. */
const MAX_STRING_BYTES = 256;
const MAX_STRINGS = 64;

function examineStrings(context: ConsoleContext, address: number, count: number): void {
  const core = context.session.core();
  let at = address;
  for (let i = 0; i < count; i++) {
    const bytes = readUpTo(core, at, MAX_STRING_BYTES, 1);
    const end = bytes.indexOf(0);
    const text = bytes.subarray(0, end < 0 ? bytes.length : end);
    context.print(`${hex(at)}:  ${quoted(text)}${end < 0 ? '...' : ''}`);
    at += end < 0 ? bytes.length : end + 1;
  }
}

const UNITS: Readonly<Record<string, UnitBytes>> = { b: 1, h: 2, w: 4, g: 8 };
type ExamineFormat = NumberFormat | 's' | 'i';

/** `x/` letters as gdb takes them: a count, then a format and a size in either order. */
function parseExamine(text: string, wordBytes: 4 | 8): { count: string | undefined; format: ExamineFormat; unit: UnitBytes } {
  const match = /^(\d*)([xdusi]?)([bhwg]?)([xdusi]?)$/.exec(text);
  if (!match || (match[2] && match[4])) {
    throw new DebugError(`x/${text}: expected x/N, then a format (x d u s i) and a size (b h w g), e.g. x/4dw`);
  }
  const format = (match[2] || match[4] || 'x') as ExamineFormat;
  return { count: match[1] || undefined, format, unit: match[3] ? UNITS[match[3]]! : wordBytes };
}

export const examineCommand: Command = {
  name: 'x',
  usage: 'x[/N[FMT][SIZE]] EXPR',
  summary: 'examine memory of the selected core: N values in hex (x), signed (d) or unsigned (u) decimal, strings (s) or instructions (i)',
  details: [
    'SIZE is b, h, w or g (1, 2, 4 or 8 bytes; default the ISA\'s word). Values are read in the guest\'s',
    'byte order, each line with its bytes as ASCII; x/Nb is a hex dump. Default x/1x.',
  ],
  takesFormat: true,
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args, format) {
    expectArguments(args, 1, 1, this.usage);
    const { session } = context;
    const core = session.core();
    const isa = ISAS[core.isa];
    const parsed = parseExamine(format ?? '', isa.wordBytes);
    const address = parseAddress(session, args[0]!, core.nodeId);
    const max = parsed.format === 's' ? MAX_STRINGS : parsed.format === 'i' ? MAX_LISTING : MAX_READ_BYTES / parsed.unit;
    const count = parseCount(parsed.count, `x/${format}`, max, 1);
    if (parsed.format === 's') return examineStrings(context, address, count);
    if (parsed.format === 'i') return printListing(context, decode(core, session.cluster.node(core.nodeId).disassembler, address, count));
    const bytes = readMemory(core, address, count * parsed.unit);
    const lines = parsed.format === 'x' && parsed.unit === 1
      ? hexDump(address, bytes)
      : unitDump(address, bytes, parsed.unit, isa.littleEndian, parsed.format);
    for (const line of lines) context.print(line);
  },
};

export const writeCommand: Command = {
  name: 'write',
  usage: 'write[/SIZE] EXPR VALUE...',
  summary: 'write values of SIZE (b h w g; default the ISA\'s word) to the node\'s RAM, in guest byte order',
  details: [
    'Every core of the node sees the write at once (they share RAM) and drops its translations of the',
    'range, so patched code runs. The DSM region is refused: transactions own it.',
  ],
  takesFormat: true,
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args, format) {
    if (args.length < 2) throw new DebugError(`usage: ${this.usage}`);
    const { session } = context;
    const core = session.core();
    const isa = ISAS[core.isa];
    const size = format ?? '';
    if (size !== '' && !(size in UNITS)) throw new DebugError(`write/${size}: expected a size of b, h, w or g`);
    const unit = size === '' ? isa.wordBytes : UNITS[size]!;
    const address = parseAddress(session, args[0]!, core.nodeId);
    const bytes = new Uint8Array(unit * (args.length - 1));
    const view = new DataView(bytes.buffer);
    args.slice(1).forEach((text, i) => {
      const value = evaluate(session, text, core.nodeId);
      const bits = BigInt(unit * 8);
      if (value >= 1n << bits || value < -(1n << (bits - 1n))) throw new DebugError(`write: ${text} does not fit ${unit} bytes`);
      const unsigned = BigInt.asUintN(unit * 8, value);
      for (let b = 0; b < unit; b++) {
        const shift = BigInt(8 * (isa.littleEndian ? b : unit - 1 - b));
        view.setUint8(i * unit + b, Number((unsigned >> shift) & 0xffn));
      }
    });
    session.writeMemory(core.nodeId, address, bytes);
    for (const line of (unit === 1 ? hexDump(address, bytes) : unitDump(address, bytes, unit, isa.littleEndian, 'x'))) context.print(line);
  },
};

export const dumpCommand: Command = {
  name: 'dump',
  usage: 'dump ADDR|SYMBOL[+OFF] LEN',
  summary: 'hex and ASCII dump of LEN bytes of the selected core\'s memory',
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args) {
    expectArguments(args, 2, 2, this.usage);
    const core = context.session.core();
    const address = parseAddress(context.session, args[0]!, core.nodeId);
    const length = parseCount(args[1], 'dump length', MAX_READ_BYTES, 1);
    for (const line of hexDump(address, readMemory(core, address, length))) context.print(line);
  },
};
