import {
  formatChannelTable, formatDsmPageTable, formatDsmTable, formatTable, formatTaskTable, summarizeChannels, summarizeDsm,
  summarizeTasks,
} from '../../../reports/index.js';
import type { Command } from '../command.js';
import { expectArguments } from '../arguments.js';
import { coreName } from '../format.js';

export const dsmTopic: Command = {
  name: 'dsm',
  usage: 'info dsm',
  summary: 'the DSM: counters per node, then per page that saw traffic, and the global time',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const dsm = context.session.cluster.kernel.dsm;
    if (!dsm) {
      context.print('no DSM (the image has no "dsm" field)');
      return;
    }
    const summary = summarizeDsm(dsm);
    context.print(formatDsmTable(summary));
    if (summary.pages.length === 0) {
      context.print('no page has seen traffic yet');
      return;
    }
    context.print(formatDsmPageTable(summary));
  },
};

export const txTopic: Command = {
  name: 'tx',
  usage: 'info tx',
  summary: 'transactions: the open ones (read and write sets), counters per node, the cores waiting in a commit',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const dsm = session.cluster.kernel.dsm;
    if (!dsm) {
      context.print('no DSM (the image has no "dsm" field)');
      return;
    }
    const open = dsm.transactions();
    context.print(`global time ${dsm.time}; ${open.length} open transaction${open.length === 1 ? '' : 's'}`);
    const pages = (list: readonly number[]) => list.join(' ') || '-';
    if (open.length > 0) {
      context.print(formatTable(['core', 'began', 'restarts', 'read set (pages)', 'write set (pages)'],
        open.map((tx) => [coreName(tx), String(tx.startTime), String(tx.restarts), pages(tx.readSet), pages(tx.writeSet)]),
        new Set([1, 2])));
    }
    const rows = dsm.stats.nodes.map((n, node) => [`n${node}`, ...[n.commits, n.abortsTrueSharing + n.abortsFalseSharing,
      n.restarts, n.recoveries].map(String)]);
    context.print(formatTable(['node', 'commits', 'aborts', 'restarts', 'recoveries'], rows, new Set([1, 2, 3, 4])));
    // A core blocked without a wake-up time waits for the commit token or a channel.
    const blocked = session.cluster.cores.filter((core) => core.status === 'sleeping' && !Number.isFinite(core.wakeTimeNs));
    context.print(blocked.length === 0 ? 'no core is blocked'
      : `blocked (in a commit or a channel wait): ${blocked.map((core) => coreName(session.refOf(core))).join(', ')}`);
  },
};

export const channelsTopic: Command = {
  name: 'channels',
  usage: 'info channels',
  summary: 'message channels: endpoints, messages, bytes, stalls, latency',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const channels = context.session.cluster.kernel.channels;
    context.print(channels ? formatChannelTable(summarizeChannels(channels)) : 'no channels (the image declares none)');
  },
};

export const tasksTopic: Command = {
  name: 'tasks',
  usage: 'info tasks',
  summary: 'remote tasks: node, core, parent, phase, pages fetched and moved, exit values; then each rfork or rspawn',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const tasks = context.session.cluster.kernel.tasks;
    context.print(tasks ? formatTaskTable(summarizeTasks(tasks)) : 'no tasks (the image has no "tasks" field)');
  },
};
