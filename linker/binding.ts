import type { TrampolineForm } from './encoders/encoder.js';

// FLink's binding intensities, from the cheapest call to the most flexible one: the one
// list every other list of them (the image schema, the CLI's help) is derived from.
export const INTENSITIES = ['immediate', 'mediated', 'weak', 'failsafe'] as const;
export type Intensity = (typeof INTENSITIES)[number];
/** What a fail-safe reference becomes once the kernel has linked it: any intensity that binds. */
export type ResolvedIntensity = Exclude<Intensity, 'failsafe'>;

export function isIntensity(name: string): name is Intensity {
  return (INTENSITIES as readonly string[]).includes(name);
}

/** How the image (or `--bind`) asks for one symbol to be bound. */
export interface BindingSpec {
  readonly intensity: Intensity;
  /** The module (alternative) that provides the symbol; default: the first that exports it. */
  readonly use?: string;
  /** The intensity a fail-safe reference takes once the kernel has linked it. */
  readonly resolved?: ResolvedIntensity;
  /** Caller modules whose calls the mediator refuses (weak binding). */
  readonly deny?: readonly string[];
  /** Trampoline form for mediated binding. */
  readonly trampoline?: TrampolineForm;
}
