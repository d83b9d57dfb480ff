import type { Command } from '../command.js';
import { symbolWords } from '../completion.js';
import { expectArguments } from '../arguments.js';
import { evaluate } from '../expression.js';
import { CodeMap } from '../code-map.js';

export const printCommand: Command = {
  name: 'print',
  aliases: ['p'],
  usage: 'print EXPR',
  summary: 'the value of registers, symbols and numbers added and subtracted ($sp+8, foo, 0x10)',
  details: ['Registers are the selected core\'s; symbols its node\'s. Shown in hex and decimal, with the symbol it lands in.'],
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  run(context, args) {
    expectArguments(args, 1, Infinity, this.usage);
    const { session } = context;
    const text = args.join(' ');
    const node = session.selected.node;
    const value = evaluate(session, text, node);
    const unsigned = BigInt.asUintN(64, value);
    const where = value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? CodeMap.of(session, node).describe(Number(value)) : undefined;
    context.print(`${text} = 0x${unsigned.toString(16)} (${value})${where ? ` <${where}>` : ''}`);
  },
};
