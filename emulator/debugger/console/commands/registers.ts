import { ISAS } from '../../../../isa/index.js';
import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { expectArguments, parseInteger } from '../arguments.js';
import { CodeMap } from '../code-map.js';
import { formatRegister, readRegister, registerNames } from '../registers.js';

function selectedRegisters(context: ConsoleContext): string[] {
  return registerNames(context.session.core().isa, true);
}

function printRegisters(context: ConsoleContext, args: readonly string[]): void {
  const { session } = context;
  const core = session.core();
  const known = selectedRegisters(context);
  const names = args.length === 0 ? registerNames(core.isa, false) : args[0] === 'all' && args.length === 1 ? known : [...args];
  for (const name of names) if (!known.includes(name)) throw new DebugError(`${core.isa} has no register '${name}'`);
  const width = Math.max(...names.map((name) => name.length));
  const pcName = ISAS[core.isa].registers.pc;
  for (const name of names) {
    const value = readRegister(core, name);
    const symbol = name === pcName ? CodeMap.of(session, core.nodeId).describe(core.pc) : undefined;
    context.print(`${name.padEnd(width)}  ${formatRegister(core, value)}${symbol ? ` <${symbol}>` : ''}`);
  }
}

const completeRegisters = (context: ConsoleContext): readonly string[] => ['all', ...selectedRegisters(context)];

export const regsCommand: Command = {
  name: 'regs',
  usage: 'regs [all|REG...]',
  summary: 'registers of the selected core, in hex (all: every register Unicorn names for the ISA)',
  details: ['SPARC shows the current register window only (Unicorn keeps no other).'],
  complete: completeRegisters,
  run: (context, args) => printRegisters(context, args),
};

export const registersTopic: Command = {
  name: 'registers',
  usage: 'info registers [all|REG...]',
  summary: regsCommand.summary,
  complete: completeRegisters,
  run: (context, args) => printRegisters(context, args),
};

export const setCommand: Command = {
  name: 'set',
  usage: 'set REG VALUE',
  summary: 'write a register of the selected core',
  details: ['The pc cannot be set: the core resumes where it stopped.'],
  complete: (context, index) => (index === 0 ? selectedRegisters(context) : []),
  run(context, args) {
    expectArguments(args, 2, 2, this.usage);
    const core = context.session.core();
    const [name, text] = args as [string, string];
    if (!selectedRegisters(context).includes(name)) throw new DebugError(`${core.isa} has no register '${name}'`);
    if (name === ISAS[core.isa].registers.pc) throw new DebugError(`set: the pc (${name}) cannot be set, the core resumes where it stopped`);
    if (name === ISAS[core.isa].registers.zero) throw new DebugError(`set: ${name} always reads 0 on ${core.isa}; it cannot be set`);
    const bits = ISAS[core.isa].wordBytes * 8;
    const value = parseInteger(text, 'set');
    if (value >= 1n << BigInt(bits) || value < -(1n << BigInt(bits - 1))) {
      throw new DebugError(`set: ${text} does not fit a ${bits}-bit register`);
    }
    core.writeRegister(name, BigInt.asUintN(bits, value));
    context.print(`${name} = ${formatRegister(core, core.readRegister(name))}`);
  },
};
