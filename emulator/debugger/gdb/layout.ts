import { ISAS, type IsaName } from '../../../isa/index.js';

/** Where a register's value lives in the emulator. */
export type RegisterSource =
  /** A Unicorn register, by the engine's name for it. */
  | { readonly kind: 'engine'; readonly name: string }
  /** The pc the core resumes at: the engine's own pc register lags behind a stop. */
  | { readonly kind: 'pc' }
  /** SPARC's next pc; see NEXT_PC. */
  | { readonly kind: 'npc' }
  /** Unicorn keeps no such register here: gdb shows it as unavailable. */
  | { readonly kind: 'none' };

export interface RegisterSpec {
  readonly name: string;
  readonly bits: number;
  /** The target description type: one of gdb's predefined types or one the feature defines. */
  readonly type: string;
  readonly group?: string;
  readonly source: RegisterSource;
}

export interface FeatureSpec {
  readonly name: string;
  /** XML of the types the feature's registers use that gdb does not predefine. */
  readonly types: string;
  readonly registers: readonly RegisterSpec[];
}

/**
 * One ISA's registers as gdb numbers them: features in order, registers numbered
 * consecutively across them. The numbering is the `g` packet's order and `p`'s index,
 * and it matches gdb's built-in numbering for the architecture.
 */
export interface TargetLayout {
  readonly architecture: string;
  readonly littleEndian: boolean;
  readonly features: readonly FeatureSpec[];
  readonly registers: readonly RegisterSpec[];
}

export function engine(name: string): RegisterSource {
  return { kind: 'engine', name };
}

export const NONE: RegisterSource = { kind: 'none' };
export const PC: RegisterSource = { kind: 'pc' };
/**
 * Unicorn hides SPARC's npc (#2338): a core resumes at its pc and runs on from there
 * (a quantum never ends in a delay slot), so the instruction after the pc is where it
 * really goes next.
 */
export const NEXT_PC: RegisterSource = { kind: 'npc' };

/** gdb's layout for `isa`, in the ISA's byte order. */
export function layout(isa: IsaName, architecture: string, features: readonly FeatureSpec[]): TargetLayout {
  const { littleEndian } = ISAS[isa];
  return { architecture, littleEndian, features, registers: features.flatMap((feature) => feature.registers) };
}
