import type { Command } from '../command.js';
import { expectArguments } from '../arguments.js';
import { hex } from '../format.js';

export const symbolsTopic: Command = {
  name: 'symbols',
  usage: 'info symbols [FILTER]',
  summary: 'the selected node\'s symbols by address (those whose name contains FILTER)',
  details: [
    'Module labels that are not exported read module:label; trampolines read trampoline:SYMBOL.',
    'A symbol several modules export (alternatives) is listed once per module; ADDR|SYMBOL means the first.',
  ],
  run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    const node = context.session.cluster.node(context.session.selected.node);
    const table = context.session.symbols(node.nodeId);
    const filter = args[0] ?? '';
    const rows = [...new Set(table.names())].filter((name) => name.includes(filter)).flatMap((name) => {
      const entry = table.lookup(name)!;
      const providers = node.linker.plan.modules.filter((module) => module.exports.has(name));
      if (entry.kind !== 'label' || providers.length < 2) {
        return [{ address: entry.address, text: `${name}${entry.kind === 'label' ? '' : `  [${entry.kind}]`}` }];
      }
      return providers.map((module) => ({ address: module.exports.get(name)!, text: `${name}  [${module.name}]` }));
    }).sort((a, b) => a.address - b.address);
    if (rows.length === 0) context.print(`no symbols match '${filter}'`);
    for (const row of rows) context.print(`${hex(row.address, 8)}  ${row.text}`);
  },
};
