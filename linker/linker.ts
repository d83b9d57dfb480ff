import { unreachable } from '../isa/index.js';
import type { BindingSpec, Intensity, ResolvedIntensity } from './binding.js';
import type { Encoder, TrampolineForm } from './encoders/encoder.js';
import { encoderFor } from './encoders/registry.js';
import { LinkArea } from './link-area.js';
import { LinkError } from './link-error.js';
import type { ChangeTicket, CodeRange, LinkMemory } from './link-memory.js';
import type { LinkPlan } from './link-plan.js';
import { LinkageTable, type TableEntry } from './linkage-table.js';
import type { CompiledModule } from './modules/compiled-module.js';

/** What a linker knows beyond its plan: a snapshot stores it, and the code and table in guest memory. */
export interface LinkerState {
  readonly symbols: readonly (Omit<SymbolState, 'deny'> & { readonly deny: readonly string[] })[];
  readonly loadCounts: readonly (readonly [string, number])[];
  readonly loaded: readonly string[];
  readonly table: readonly TableEntry[];
  readonly areaNext: number;
  readonly stubs: readonly (readonly [string, number])[];
}

export interface SymbolState {
  readonly symbol: string;
  intensity: Intensity;
  provider: string | undefined;
  /** Open: references lead to the fail-safe entry until the kernel links the symbol. */
  open: boolean;
  resolved: ResolvedIntensity;
  deny: ReadonlySet<string>;
  form: TrampolineForm;
  trampoline: number | undefined;
}

/** The outcome of a fail-safe trap. */
export type Resolution =
  | { readonly linked: true; readonly symbol: string; readonly caller: string; readonly module: string }
  | { readonly linked: false; readonly symbol: string; readonly caller: string };

/** One pending change: the bytes written, collected until it is published. */
class ChangeSet {
  /** The symbol whose binding the change is about; none at boot. */
  constructor(readonly symbol?: string) {}
  readonly rewritten: CodeRange[] = [];
  readonly restart: CodeRange[] = [];
  tableChanged = false;
}

/**
 * The incremental linker of one node: places modules, binds every reference by the
 * symbol's intensity and re-links while the node runs, by patching guest code and the
 * mediator's linkage table. Every operation is one change, published to all cores.
 */
export class Linker {
  private readonly encoder: Encoder;
  private readonly modules = new Map<string, CompiledModule>();
  private readonly symbols = new Map<string, SymbolState>();
  private readonly loadCounts = new Map<string, number>();
  private readonly loaded = new Set<string>();
  private readonly table: LinkageTable;
  private readonly area: LinkArea;
  private readonly stubs = new Map<string, number>();
  private lastTicket: ChangeTicket | undefined;

  constructor(readonly plan: LinkPlan, private readonly memory: LinkMemory) {
    this.encoder = encoderFor(plan.isa);
    this.table = new LinkageTable(plan.isa, memory, plan.tableAddress, plan.tableEntries);
    this.area = new LinkArea(plan.area);
    for (const module of plan.modules) this.modules.set(module.name, module);
    for (const module of plan.modules) {
      for (const symbol of [...module.exports.keys(), ...module.imports]) this.state(symbol);
    }
    for (const [symbol, spec] of plan.bindings) this.configure(this.state(symbol), spec);
  }

  /** Loads the resident modules and binds every reference: the node's state at reset. */
  boot(): ChangeTicket {
    const change = new ChangeSet();
    this.memory.write(this.plan.mediator.address, this.plan.mediator.bytes);
    for (const module of this.plan.modules) if (!module.library) this.load(module, change);
    for (const state of this.symbols.values()) {
      if (!state.open && state.provider) this.load(this.module(state.provider), change);
    }
    for (const state of this.symbols.values()) this.rebind(state, change, true);
    return this.publish(change);
  }

  /** Changes a symbol's binding intensity; fail-safe unbinds it. */
  bind(symbol: string, intensity: Intensity): ChangeTicket {
    const state = this.known(symbol);
    if (intensity === 'failsafe') return this.unbind(symbol);
    const change = new ChangeSet(symbol);
    state.intensity = intensity;
    if (state.open && state.provider) {
      state.open = false;
      this.load(this.module(state.provider), change);
    }
    this.rebind(state, change, true);
    return this.publish(change);
  }

  /** Switches the implementation (alternative) behind a symbol. */
  use(symbol: string, moduleName: string): ChangeTicket {
    const state = this.known(symbol);
    const module = this.module(moduleName);
    if (!module.exports.has(symbol)) throw new LinkError(`module ${moduleName} does not export ${symbol}`);
    const change = new ChangeSet(symbol);
    state.provider = moduleName;
    if (!state.open) this.load(module, change);
    // Mediated and weak calls reach the target through one trampoline or the table:
    // only that changes. Immediate calls are rewritten at every site.
    this.rebind(state, change, state.intensity === 'immediate');
    return this.publish(change);
  }

  /** Opens every reference to a symbol: the next call goes through fail-safe. */
  unbind(symbol: string): ChangeTicket {
    const state = this.known(symbol);
    const change = new ChangeSet(symbol);
    state.open = true;
    state.intensity = 'failsafe';
    const provider = state.provider;
    this.rebind(state, change, true);
    if (provider && ![...this.symbols.values()].some((s) => !s.open && s.provider === provider)) {
      this.loaded.delete(provider);
    }
    return this.publish(change);
  }

  /** Serves a fail-safe trap for table entry `index`: links the symbol if a module provides it. */
  resolve(index: number): Resolution {
    const entry = this.entryAt(index);
    const state = this.known(entry.symbol);
    if (state.open) {
      const provider = state.provider ?? this.providersOf(entry.symbol)[0];
      if (!provider) return { linked: false, symbol: entry.symbol, caller: entry.caller };
      const change = new ChangeSet(entry.symbol);
      state.provider = provider;
      state.open = false;
      state.intensity = state.resolved;
      this.load(this.module(provider), change);
      this.rebind(state, change, true);
      this.publish(change);
    }
    // The trapping call goes on through the fail-safe path, which does not count: when
    // the symbol is now weak, the mediator would have counted it, so count it here.
    if (state.intensity === 'weak') this.table.countCall(entry);
    return { linked: true, symbol: entry.symbol, caller: entry.caller, module: state.provider! };
  }

  /** The (caller, symbol) pair behind a table index, as a trap reports it. */
  entryAt(index: number): TableEntry {
    const entry = this.table.byIndex(index);
    if (!entry) throw new LinkError(`no linkage table entry ${index}`);
    return entry;
  }

  /** Calls the mediator counted, per (caller, symbol). */
  calls(): { readonly caller: string; readonly symbol: string; readonly calls: number }[] {
    return this.table.all().map((entry) => ({ caller: entry.caller, symbol: entry.symbol, calls: this.table.calls(entry) }));
  }

  saveState(): LinkerState {
    return {
      symbols: [...this.symbols.values()].map((state) => ({ ...state, deny: [...state.deny] })),
      loadCounts: [...this.loadCounts], loaded: [...this.loaded], table: this.table.saveState(),
      areaNext: this.area.nextFree, stubs: [...this.stubs],
    };
  }

  /** Puts back a saved state on a linker of the same plan (the code it wrote is in guest memory). */
  loadState(state: LinkerState): void {
    this.symbols.clear();
    for (const symbol of state.symbols) {
      this.symbols.set(symbol.symbol, { ...symbol, deny: new Set(symbol.deny) });
    }
    this.loadCounts.clear();
    for (const [module, count] of state.loadCounts) this.loadCounts.set(module, count);
    this.loaded.clear();
    for (const module of state.loaded) this.loaded.add(module);
    this.table.loadState(state.table);
    this.area.nextFree = state.areaNext;
    this.stubs.clear();
    for (const [key, address] of state.stubs) this.stubs.set(key, address);
  }

  /** The last change, to ask whether every core has taken it. */
  get lastChange(): ChangeTicket | undefined {
    return this.lastTicket;
  }

  binding(symbol: string): Readonly<SymbolState> {
    return this.known(symbol);
  }

  symbolNames(): string[] {
    return [...this.symbols.keys()];
  }

  isLoaded(module: string): boolean {
    return this.loaded.has(module);
  }

  loadCount(module: string): number {
    return this.loadCounts.get(module) ?? 0;
  }

  providersOf(symbol: string): string[] {
    return this.plan.modules.filter((m) => m.exports.has(symbol)).map((m) => m.name);
  }

  /** Where a reference from `caller` to `symbol` leads now (placing a stub it needs). */
  private entryAddress(caller: string, symbol: string, change: ChangeSet): number {
    const state = this.known(symbol);
    if (state.open || !state.provider) return this.stub(caller, symbol, 'failsafe', change);
    switch (state.intensity) {
      case 'immediate':
        return this.providerAddress(state);
      case 'mediated':
        return state.trampoline ?? this.providerAddress(state);
      case 'weak':
        return this.stub(caller, symbol, 'weak', change);
      case 'failsafe':
        return this.stub(caller, symbol, 'failsafe', change);
      default:
        return unreachable(state.intensity);
    }
  }

  providerAddress(state: Readonly<SymbolState>): number {
    return this.module(state.provider!).exports.get(state.symbol)!;
  }

  private state(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (!state) {
      state = {
        symbol, intensity: 'immediate', provider: this.providersOf(symbol)[0], open: false,
        resolved: 'immediate', deny: new Set(), form: this.plan.trampolineForm, trampoline: undefined,
      };
      state.open = state.provider === undefined;
      if (state.open) state.intensity = 'failsafe';
      this.symbols.set(symbol, state);
    }
    return state;
  }

  private configure(state: SymbolState, spec: BindingSpec): void {
    if (spec.use !== undefined) {
      if (!this.module(spec.use).exports.has(state.symbol)) {
        throw new LinkError(`binding ${state.symbol}: module ${spec.use} does not export ${state.symbol}`);
      }
      state.provider = spec.use;
    }
    if (!state.provider) throw new LinkError(`binding ${state.symbol}: no module exports ${state.symbol}`);
    state.intensity = spec.intensity;
    state.open = spec.intensity === 'failsafe';
    state.resolved = spec.resolved ?? 'immediate';
    state.deny = new Set(spec.deny ?? []);
    for (const caller of state.deny) this.module(caller);
    if (spec.trampoline) state.form = spec.trampoline;
  }

  private known(symbol: string): SymbolState {
    const state = this.symbols.get(symbol);
    if (!state) throw new LinkError(`unknown symbol ${symbol}: no module exports or imports it`);
    return state;
  }

  private module(name: string): CompiledModule {
    const module = this.modules.get(name);
    if (!module) throw new LinkError(`unknown module ${name}`);
    return module;
  }

  /** Copies a module's bytes in (fresh) and binds its own references. */
  private load(module: CompiledModule, change: ChangeSet): void {
    if (this.loaded.has(module.name)) return;
    this.loaded.add(module.name);
    this.loadCounts.set(module.name, this.loadCount(module.name) + 1);
    this.memory.write(module.address, module.bytes);
    change.rewritten.push({ address: module.address, length: module.bytes.length });
    if (module.data) this.memory.write(module.data.address, module.data.bytes);
    for (const symbol of new Set(module.imports)) this.rebind(this.known(symbol), change, true, module);
  }

  /**
   * Brings every trace of a symbol's binding up to date: trampoline, table entries and,
   * when `sites` is set, every reference in the loaded modules (or in `only`).
   */
  private rebind(state: SymbolState, change: ChangeSet, sites: boolean, only?: CompiledModule): void {
    if (!state.open && state.provider && state.intensity === 'mediated') this.writeTrampoline(state, change);
    for (const entry of this.table.all()) {
      if (entry.symbol === state.symbol) this.writeEntry(state, entry, change);
    }
    if (!sites) return;
    for (const module of only ? [only] : this.plan.modules) {
      if (!this.loaded.has(module.name)) continue;
      for (const reference of module.references) {
        if (reference.symbol !== state.symbol) continue;
        const target = this.entryAddress(module.name, state.symbol, change);
        const offset = reference.site - module.address;
        const original = module.bytes.subarray(offset, offset + reference.length);
        const bytes = this.encoder.relocate(reference.relocation, original, BigInt(reference.site), BigInt(target));
        this.patch(reference.site, bytes, change);
        const sequence = module.sequences.find((s) => s.address <= reference.site && reference.site < s.address + s.length);
        if (sequence) change.restart.push(sequence);
      }
    }
  }

  private writeEntry(state: SymbolState, entry: TableEntry, change: ChangeSet): void {
    const target = state.open || !state.provider ? 0 : this.providerAddress(state);
    if (this.table.target(entry) !== target) change.tableChanged = true;
    this.table.setTarget(entry, target);
    this.table.setAllowed(entry, !state.deny.has(entry.caller));
  }

  private writeTrampoline(state: SymbolState, change: ChangeSet): void {
    state.trampoline ??= this.area.allocate(this.encoder.trampolineSlotBytes, `the trampoline of ${state.symbol}`);
    const bytes = this.encoder.trampoline(BigInt(state.trampoline), BigInt(this.providerAddress(state)), state.form);
    if (this.patch(state.trampoline, bytes, change)) {
      change.restart.push({ address: state.trampoline, length: bytes.length });
    }
  }

  private stub(caller: string, symbol: string, kind: 'weak' | 'failsafe', change: ChangeSet): number {
    const key = `${kind}\u0000${caller}\u0000${symbol}`;
    let address = this.stubs.get(key);
    if (address === undefined) {
      const entry = this.table.entry(caller, symbol);
      this.writeEntry(this.known(symbol), entry, change);
      address = this.area.allocate(this.encoder.stubSlotBytes, `the ${kind} stub of ${caller} -> ${symbol}`);
      const mediator = kind === 'weak' ? this.plan.mediator.entry : this.plan.mediator.failsafeEntry;
      this.patch(address, this.encoder.mediatorStub(BigInt(address), entry.index, BigInt(mediator)), change);
      this.stubs.set(key, address);
    }
    return address;
  }

  /** Writes code bytes if they differ; returns whether anything changed. */
  private patch(address: number, bytes: Uint8Array, change: ChangeSet): boolean {
    const current = this.memory.read(address, bytes.length);
    if (current.every((byte, i) => byte === bytes[i])) return false;
    this.memory.write(address, bytes);
    change.rewritten.push({ address, length: bytes.length });
    return true;
  }

  private publish(change: ChangeSet): ChangeTicket {
    const restart = change.tableChanged ? [...change.restart, ...this.plan.mediator.restart] : change.restart;
    const symbol = change.symbol === undefined ? {} : { symbol: change.symbol };
    this.lastTicket = this.memory.publish({ rewritten: coalesce(change.rewritten), restart, ...symbol });
    return this.lastTicket;
  }
}

/** Patched ranges this close together are dropped as one: a few extra bytes cost a core less than another call. */
const COALESCE_GAP = 64;

/** Merges nearby ranges, so each core drops translations once per run of patched code. */
function coalesce(ranges: readonly CodeRange[]): CodeRange[] {
  const merged: { address: number; length: number }[] = [];
  for (const range of [...ranges].sort((a, b) => a.address - b.address)) {
    const last = merged.at(-1);
    if (last && range.address <= last.address + last.length + COALESCE_GAP) {
      last.length = Math.max(last.length, range.address + range.length - last.address);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}
