import type { Command, ConsoleContext } from '../command.js';
import { symbolWords } from '../completion.js';
import { expectArguments, parseAddress, parseCount } from '../arguments.js';
import { CodeMap } from '../code-map.js';
import { decode, decodeBefore, formatInstruction, type Instruction } from '../disassembly.js';

export const MAX_LISTING = 1000;
const DEFAULT_LINES = 10;
/** Lines a listing around the pc shows before it. */
const LINES_BEFORE_PC = 3;

/**
 * Prints instructions of the selected core's node, marking the one the core resumes at;
 * in C, each source line before the instructions compiled from it, as gdb's `disas /s`.
 */
export function printListing(context: ConsoleContext, lines: readonly Instruction[]): void {
  const core = context.session.core();
  const map = CodeMap.of(context.session, core.nodeId);
  let shown: string | undefined;
  for (const insn of lines) {
    const row = map.sourceLine(insn.address);
    const key = row && `${row.file}:${row.line}`;
    if (row && key !== shown) context.print(`${key}\t${map.sourceText(row)?.trim() ?? ''}`);
    shown = key;
    context.print(formatInstruction(map, insn, insn.address === core.pc));
  }
}

export const disasCommand: Command = {
  name: 'disas',
  aliases: ['disassemble'],
  usage: 'disas [ADDR|SYMBOL[+OFF] [N]]',
  summary: 'disassemble N instructions (default 10) from ADDR, or around the selected core\'s pc',
  details: [
    '=> marks the pc; symbols annotate addresses and call or branch targets; lines in a trampoline,',
    'the mediator or elsewhere in the link area (stubs) are marked as such. ADDR may be a C file.c:LINE;',
    'in C each source line is printed before its instructions.',
  ],
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args) {
    expectArguments(args, 0, 2, this.usage);
    const { session } = context;
    const core = session.core();
    const node = session.cluster.node(core.nodeId);
    const count = parseCount(args[1], 'disas', MAX_LISTING, DEFAULT_LINES);
    if (args[0] !== undefined) {
      printListing(context, decode(core, node.disassembler, parseAddress(session, args[0], core.nodeId), count));
      return;
    }
    const before = decodeBefore(core, node.disassembler, CodeMap.of(session, core.nodeId), core.pc, LINES_BEFORE_PC);
    printListing(context, [...before, ...decode(core, node.disassembler, core.pc, count - before.length)]);
  },
};
