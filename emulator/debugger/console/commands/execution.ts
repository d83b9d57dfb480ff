import type { Command } from '../command.js';
import { coreWords } from '../completion.js';
import { expectArguments, parseCore, parseCount } from '../arguments.js';
import { coreName } from '../format.js';
import { statusOf } from '../stop-report.js';

/** Steps per command: stepping one core goes instruction by instruction, so bound it. */
const MAX_STEPS = 1_000_000;

export const coreCommand: Command = {
  name: 'core',
  usage: 'core [n<node>.c<core>]',
  summary: 'select the core that step, regs, x and disas act on (show it without argument)',
  complete: (context, index) => (index === 0 ? coreWords(context) : []),
  run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    if (args[0] !== undefined) context.session.selected = parseCore(context.session, args[0]);
    const ref = context.session.selected;
    context.print(`${coreName(ref)} (${context.session.core(ref).isa}) ${statusOf(context.session, ref)}`);
  },
};

export const stepCommand: Command = {
  name: 'step',
  aliases: ['s', 'stepi', 'si'],
  usage: 'step [N]',
  summary: 'run N instructions (default 1) of the selected core, in schedule order',
  details: [
    'Within the core\'s turn only it runs; when its quantum ends, the other cores run theirs first, so',
    'stepping never changes what the cluster computes. Stops early at a breakpoint, a watchpoint or a',
    'caught event of any core.',
  ],
  run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    const count = parseCount(args[0], 'step', MAX_STEPS, 1);
    context.report(context.session.stepInOrder(context.session.selected, count));
  },
};

export const stepAllCommand: Command = {
  name: 'stepall',
  usage: 'stepall [N]',
  summary: 'run every runnable core N instructions (default 1), one scheduler round',
  run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    context.report(context.session.stepAll(parseCount(args[0], 'stepall', MAX_STEPS, 1)));
  },
};

export const continueCommand: Command = {
  name: 'continue',
  aliases: ['c', 'cont'],
  usage: 'continue',
  summary: 'run the cluster until a breakpoint, a watchpoint, a caught event, a fault or the end',
  details: ['Ctrl-C interrupts it at the next scheduler step.'],
  async run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const stop = await context.run();
    if (stop) context.report(stop);
  },
};

export const quitCommand: Command = {
  name: 'quit',
  aliases: ['q', 'exit'],
  usage: 'quit',
  summary: 'end the session',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    context.quit();
  },
};
