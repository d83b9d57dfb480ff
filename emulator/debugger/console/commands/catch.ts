import { CATCHES, DebugError, type Catch } from '../../session.js';
import type { Command } from '../command.js';

/** Event names from the arguments; `all` stands for every event. */
function events(args: readonly string[]): Catch[] {
  return args.flatMap((arg): Catch[] => {
    if (arg === 'all') return [...CATCHES];
    const event = CATCHES.find((name) => name === arg);
    if (event === undefined) throw new DebugError(`'${arg}' is not an event: ${CATCHES.join(', ')} or all`);
    return [event];
  });
}

const complete = (): readonly string[] => [...CATCHES, 'all'];

export const catchCommand: Command = {
  name: 'catch',
  usage: `catch [${CATCHES.join('|')}|all]...`,
  summary: 'stop when the kernel reports an event (list them without argument)',
  details: [
    'dsm-fault: a core faults a DSM page in; commit, abort: DSM transactions; send, receive: channel',
    'messages; relink: a node\'s code is re-linked (by the kernel: a policy, a fail-safe link or an',
    'agreement); task-spawn, task-exit, task-migrate: remote tasks asked for, ending, moving.',
    'Events stop the cluster at the end of the scheduler step they happen in.',
  ],
  complete,
  run(context, args) {
    const { catches } = context.session;
    for (const event of events(args)) catches.add(event);
    context.print(catches.size === 0 ? 'catching no events' : `catching ${[...catches].join(', ')}`);
  },
};

export const uncatchCommand: Command = {
  name: 'uncatch',
  usage: `uncatch ${CATCHES.join('|')}|all...`,
  summary: 'stop catching events',
  complete,
  run(context, args) {
    if (args.length === 0) throw new DebugError(`usage: ${this.usage}`);
    const { catches } = context.session;
    for (const event of events(args)) catches.delete(event);
    context.print(catches.size === 0 ? 'catching no events' : `catching ${[...catches].join(', ')}`);
  },
};
