import { ISAS } from '../../../../isa/index.js';
import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { symbolWords } from '../completion.js';
import { expectArguments, parseAddress, parseCount } from '../arguments.js';
import { decode } from '../disassembly.js';
import { hex } from '../format.js';
import { MAX_READ_BYTES, readMemory, readUpTo } from '../memory.js';
import { hexDump, quoted, wordDump } from '../memory-format.js';
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

export const examineCommand: Command = {
  name: 'x',
  usage: 'x[/N[x|b|s|i]] ADDR|SYMBOL[+OFF]',
  summary: 'examine memory of the selected core: N words (x), bytes (b), strings (s) or instructions (i)',
  details: ['Words are shown in the guest\'s byte order, each line with its bytes as ASCII. Default x/1x.'],
  takesFormat: true,
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args, format) {
    expectArguments(args, 1, 1, this.usage);
    const match = /^(\d*)([xbsi]?)$/.exec(format ?? '');
    if (!match) throw new DebugError(`x/${format}: expected x/N followed by x, b, s or i`);
    const kind = match[2] || 'x';
    const { session } = context;
    const core = session.core();
    const isa = ISAS[core.isa];
    const address = parseAddress(session, args[0]!, core.nodeId);
    const max = { x: MAX_READ_BYTES / isa.wordBytes, b: MAX_READ_BYTES, s: MAX_STRINGS, i: MAX_LISTING }[kind as 'x' | 'b' | 's' | 'i'];
    const count = parseCount(match[1] || undefined, `x/${format}`, max, 1);
    if (kind === 's') return examineStrings(context, address, count);
    if (kind === 'i') return printListing(context, decode(core, session.cluster.node(core.nodeId).disassembler, address, count));
    const bytes = readMemory(core, address, count * (kind === 'x' ? isa.wordBytes : 1));
    const lines = kind === 'x' ? wordDump(address, bytes, isa.wordBytes, isa.littleEndian) : hexDump(address, bytes);
    for (const line of lines) context.print(line);
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
