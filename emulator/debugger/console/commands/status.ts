import { formatTable } from '../../../reports/index.js';
import type { Command } from '../command.js';
import { expectArguments } from '../arguments.js';
import { CodeMap } from '../code-map.js';
import { coreName } from '../format.js';

export const coresCommand: Command = {
  name: 'cores',
  usage: 'cores',
  summary: 'every core: status, pc and symbol, instructions, virtual time (* marks the selected one)',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const maps = session.cluster.nodes.map((node) => CodeMap.of(session, node.nodeId));
    const rows = session.cluster.cores.map((core) => {
      const ref = session.refOf(core);
      const selected = ref.node === session.selected.node && ref.core === session.selected.core;
      const summary = core.summary();
      const pc = core.status === 'idle' ? '-' : maps[ref.node]!.location(core.pc);
      return [selected ? '*' : '', coreName(ref), core.isa, core.status, pc, String(summary.instructions), String(summary.virtualNs)];
    });
    context.print(formatTable(['', 'core', 'isa', 'status', 'pc', 'instructions', 'virtual ns'], rows, new Set([5, 6])));
  },
};

export const timeCommand: Command = {
  name: 'time',
  usage: 'time',
  summary: 'virtual time of every core (and the DSM global time)',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const rows = session.cluster.cores.map((core) => {
      const summary = core.summary();
      return [coreName(session.refOf(core)), core.status, String(summary.virtualNs), String(summary.cycles)];
    });
    context.print(formatTable(['core', 'status', 'virtual ns', 'cycles'], rows, new Set([2, 3])));
    const dsm = session.cluster.kernel.dsm;
    if (dsm) context.print(`DSM global time ${dsm.time}`);
  },
};
