import { formatTable } from '../../../reports/index.js';
import type { Command } from '../command.js';
import { expectArguments, parseCount } from '../arguments.js';
import { coreName } from '../format.js';

/** Steps back per command: each goes through a snapshot and a re-run, so bound it as step is. */
const MAX_STEPS_BACK = 1_000_000;

const HOW = [
  'The cluster is deterministic: the session keeps snapshots as it runs and goes back by restoring',
  'the latest one before the target and running forward again, in schedule order, with output held',
  'back. History starts again after the debugger changes the run by hand (set, write, bind, relink,',
  'stepall, a run of some nodes only).',
];

export const reverseStepCommand: Command = {
  name: 'reverse-stepi',
  aliases: ['rsi', 'reverse-step', 'rs'],
  usage: 'reverse-stepi [N]',
  summary: 'go back N instructions (default 1) of the selected core; the whole cluster goes back with it',
  details: HOW,
  run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    const count = parseCount(args[0], 'reverse-stepi', MAX_STEPS_BACK, 1);
    context.report(context.session.reverseStep(context.session.selected, count));
  },
};

export const reverseContinueCommand: Command = {
  name: 'reverse-continue',
  aliases: ['rc'],
  usage: 'reverse-continue',
  summary: 'go back to the last breakpoint or watchpoint hit before now (or to the start of history)',
  details: HOW,
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    context.report(context.session.reverseContinue());
  },
};

export const checkpointCommand: Command = {
  name: 'checkpoint',
  usage: 'checkpoint',
  summary: 'remember this point of the run; restart N comes back to it',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const id = context.session.checkpoint();
    const core = context.session.core();
    context.print(`checkpoint ${id}: ${coreName(context.session.selected)} at instruction ${core.instructions}, ${core.summary().virtualNs} ns`);
  },
};

export const restartCommand: Command = {
  name: 'restart',
  usage: 'restart N',
  summary: 'go to checkpoint N, back or forward',
  run(context, args) {
    expectArguments(args, 1, 1, this.usage);
    const id = parseCount(args[0], 'restart', Number.MAX_SAFE_INTEGER, 1);
    const stop = context.session.restart(id);
    context.print(`back at checkpoint ${id}`);
    context.report(stop);
  },
};

export const checkpointsTopic: Command = {
  name: 'checkpoints',
  usage: 'info checkpoints',
  summary: 'the checkpoints restart goes to: scheduler round and instructions retired by the cluster',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const rows = context.session.checkpoints().map(([id, at]) => [String(id), String(at.rounds), String(at.instructions)]);
    context.print(rows.length === 0 ? 'no checkpoints' : formatTable(['checkpoint', 'round', 'instructions'], rows, new Set([1, 2])));
  },
};
