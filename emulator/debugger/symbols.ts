import type { Node } from '../machine/index.js';

export interface SymbolEntry {
  readonly name: string;
  readonly address: number;
  /** What kind of code lies there: a module's label, a trampoline, or the mediator. */
  readonly kind: 'label' | 'trampoline' | 'mediator';
}

/**
 * A node's symbols as the linker placed them: every module's labels (exports by their
 * own name, other labels as `module:label`), the mediator's entries and the current
 * trampolines. Rebuilt on demand, since re-links move trampolines in and out of use.
 */
export class SymbolTable {
  private readonly entries: SymbolEntry[] = [];

  constructor(node: Node) {
    const plan = node.linker.plan;
    for (const module of plan.modules) {
      for (const [label, address] of module.labels) {
        const name = module.exports.has(label) ? label : `${module.name}:${label}`;
        this.entries.push({ name, address, kind: 'label' });
      }
    }
    this.entries.push({ name: 'mediator', address: plan.mediator.entry, kind: 'mediator' });
    this.entries.push({ name: 'mediator_failsafe', address: plan.mediator.failsafeEntry, kind: 'mediator' });
    for (const symbol of node.linker.symbolNames()) {
      const trampoline = node.linker.binding(symbol).trampoline;
      if (trampoline !== undefined) this.entries.push({ name: `trampoline:${symbol}`, address: trampoline, kind: 'trampoline' });
    }
    this.entries.sort((a, b) => a.address - b.address || a.name.localeCompare(b.name));
  }

  /**
   * A symbol by name; a label a module does not export (`main`, shown `counter:main`)
   * is found by its own name too, when exactly one module has it.
   */
  lookup(name: string): SymbolEntry | undefined {
    const exact = this.entries.find((entry) => entry.name === name);
    if (exact) return exact;
    const local = this.entries.filter((entry) => entry.kind === 'label' && entry.name.endsWith(`:${name}`));
    return local.length === 1 ? local[0] : undefined;
  }

  names(): string[] {
    return this.entries.map((entry) => entry.name);
  }

  /** The nearest symbol at or below `address`, as `name+offset`, within `reach` bytes. */
  describe(address: number, reach = 0x1000): string | undefined {
    const best = this.nearest(address);
    if (!best || address - best.address > reach) return undefined;
    const offset = address - best.address;
    return offset === 0 ? best.name : `${best.name}+${offset}`;
  }

  kindAt(address: number): SymbolEntry['kind'] | undefined {
    return this.nearest(address)?.kind;
  }

  private nearest(address: number): SymbolEntry | undefined {
    let best: SymbolEntry | undefined;
    for (const entry of this.entries) {
      if (entry.address > address) break;
      best = entry;
    }
    return best;
  }
}
