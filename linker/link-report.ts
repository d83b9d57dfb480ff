import { unreachable } from '../isa/index.js';
import type { Intensity } from './binding.js';
import type { Encoder } from './encoders/encoder.js';
import type { Linker, SymbolState } from './linker.js';

interface ModuleRow {
  readonly name: string;
  readonly file: string;
  readonly address: number;
  readonly bytes: number;
  readonly library: boolean;
  readonly loaded: boolean;
  /** Times the module was copied in and relocated (a fail-safe link after an unbind adds one). */
  readonly links: number;
  readonly exports: readonly string[];
}

interface SymbolRow {
  readonly symbol: string;
  /** Every module that exports it: its alternatives. */
  readonly providers: readonly string[];
  readonly provider: string | undefined;
  /** Address of the implementation in use; undefined while the reference is open. */
  readonly address: number | undefined;
  readonly intensity: Intensity;
  readonly open: boolean;
  /** How calls reach it: the target, a trampoline (with its form) or the mediator. */
  readonly via: string;
  /** Reference sites in the loaded modules. */
  readonly references: number;
  /** Calls the mediator has counted. */
  readonly calls: number;
}

export interface LinkReport {
  readonly modules: readonly ModuleRow[];
  readonly symbols: readonly SymbolRow[];
}

const hex = (value: number) => `0x${value.toString(16)}`;

/** What `clustervm link` prints: modules, symbols, bindings and reference counts. */
export function linkReport(linker: Linker, encoder: Encoder): LinkReport {
  const plan = linker.plan;
  const modules = plan.modules.map((module) => ({
    name: module.name,
    file: module.file,
    address: module.address,
    bytes: module.bytes.length,
    library: module.library,
    loaded: linker.isLoaded(module.name),
    links: linker.loadCount(module.name),
    exports: [...module.exports.keys()],
  }));
  const calls = linker.calls();
  const symbols = linker.symbolNames().sort().map((symbol): SymbolRow => {
    const state = linker.binding(symbol);
    const address = state.open || !state.provider ? undefined : linker.providerAddress(state);
    return {
      symbol,
      providers: linker.providersOf(symbol),
      provider: state.provider,
      address,
      intensity: state.intensity,
      open: state.open,
      via: via(state, address, encoder),
      references: plan.modules.filter((m) => linker.isLoaded(m.name))
        .reduce((sum, m) => sum + m.references.filter((r) => r.symbol === symbol).length, 0),
      calls: calls.filter((c) => c.symbol === symbol).reduce((sum, c) => sum + c.calls, 0),
    };
  });
  return { modules, symbols };
}

function via(state: Readonly<SymbolState>, address: number | undefined, encoder: Encoder): string {
  if (address === undefined) return 'fail-safe entry';
  switch (state.intensity) {
    case 'immediate':
      return 'direct';
    case 'mediated':
      return state.trampoline === undefined ? 'trampoline'
        : `trampoline ${hex(state.trampoline)} (${encoder.trampolineFormName(BigInt(state.trampoline), BigInt(address), state.form)})`;
    case 'weak':
      return state.deny.size > 0 ? `mediator, refuses ${[...state.deny].join(', ')}` : 'mediator';
    case 'failsafe':
      return 'fail-safe entry';
    default:
      return unreachable(state.intensity);
  }
}
