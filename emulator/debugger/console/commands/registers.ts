import { ISAS } from '../../../../isa/index.js';
import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { expectArguments } from '../arguments.js';
import { evaluate, registerName } from '../expression.js';
import { CodeMap } from '../code-map.js';
import { formatRegister, readRegister, registerBits, registerNames, UNAVAILABLE_REGISTERS } from '../registers.js';

function selectedRegisters(context: ConsoleContext): string[] {
  return registerNames(context.session.core().isa, true);
}

function printRegisters(context: ConsoleContext, args: readonly string[]): void {
  const { session } = context;
  const core = session.core();
  const known = selectedRegisters(context);
  const names = args.length === 0 ? registerNames(core.isa, false) : args[0] === 'all' && args.length === 1 ? known : [...args];
  for (const name of names) {
    if (UNAVAILABLE_REGISTERS[core.isa].includes(name)) throw new DebugError(`${name}: Unicorn does not expose it on ${core.isa}`);
    if (!known.includes(name)) throw new DebugError(`${core.isa} has no register '${name}'`);
  }
  const width = Math.max(...names.map((name) => name.length));
  const pcName = ISAS[core.isa].registers.pc;
  for (const name of names) {
    const value = readRegister(core, name);
    const symbol = name === pcName ? CodeMap.of(session, core.nodeId).describe(core.pc) : undefined;
    context.print(`${name.padEnd(width)}  ${formatRegister(core, name, value)}${symbol ? ` <${symbol}>` : ''}`);
  }
  const unavailable = UNAVAILABLE_REGISTERS[core.isa];
  if (args[0] === 'all' && unavailable.length > 0) context.print(`not available (Unicorn does not expose them): ${unavailable.join(' ')}`);
}

const completeRegisters = (context: ConsoleContext): readonly string[] => ['all', ...selectedRegisters(context)];

export const regsCommand: Command = {
  name: 'regs',
  usage: 'regs [all|REG...]',
  summary: 'registers of the selected core, in hex (all: every register Unicorn names for the ISA)',
  details: [
    'SPARC shows the current register window only (Unicorn keeps no other); psr, wim, tbr (sparc32) and',
    'ccr, pstate, cwp (sparc64) are not available: Unicorn exposes none of them.',
  ],
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
  usage: 'set REG EXPR',
  summary: 'write a register of the selected core',
  details: ['Setting the pc moves where the core resumes (on SPARC, npc follows at pc + 4).'],
  complete: (context, index) => (index === 0 ? selectedRegisters(context) : []),
  run(context, args) {
    expectArguments(args, 2, 2, this.usage);
    const core = context.session.core();
    const [given, text] = args as [string, string];
    const name = registerName(core.isa, given);
    if (!selectedRegisters(context).includes(name)) throw new DebugError(`${core.isa} has no register '${given}'`);
    if (name === ISAS[core.isa].registers.zero) throw new DebugError(`set: ${name} always reads 0 on ${core.isa}; it cannot be set`);
    const bits = registerBits(core.isa, name);
    const value = evaluate(context.session, text, core.nodeId);
    if (value >= 1n << BigInt(bits) || value < -(1n << BigInt(bits - 1))) {
      throw new DebugError(`set: ${text} does not fit a ${bits}-bit register`);
    }
    const unsigned = BigInt.asUintN(bits, value);
    context.session.changedByHand(`set ${name}`);
    if (name === ISAS[core.isa].registers.pc) {
      if (!core.isRunnable && core.status !== 'sleeping') throw new DebugError(`set: n${core.nodeId}.c${core.coreId} is ${core.status}; it will not run again`);
      core.setPc(Number(unsigned));
      context.print(`${name} = ${CodeMap.of(context.session, core.nodeId).location(core.pc)}`);
      return;
    }
    core.writeRegister(name, unsigned);
    context.print(`${name} = ${formatRegister(core, name, core.readRegister(name))}`);
  },
};
