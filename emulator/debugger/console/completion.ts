import { SymbolTable } from '../symbols.js';
import type { ConsoleContext } from './command.js';
import { coreName } from './format.js';

/** Every core's name, for completing core arguments. */
export function coreWords(context: ConsoleContext): string[] {
  return context.session.cluster.cores.map((core) => coreName(context.session.refOf(core)));
}

/** The selected node's symbols: its code labels and its binding table's symbols. */
export function symbolWords(context: ConsoleContext): string[] {
  const node = context.session.cluster.node(context.session.selected.node);
  return [...new Set([...new SymbolTable(node).names(), ...node.linker.symbolNames()])];
}
