// The contract between the supervisor and the emulator it runs: the plan of a re-run
// travels in an environment variable, what the re-run saw comes back in a record file.

import type { IsaName } from '../../isa/index.js';

export { CRASH_PLAN_ENV } from './emulator-process.mjs';

/** A core stopped at a point its engine is known to crash after. */
export interface CrashStop {
  /** Index of the scheduler quantum (over all cores, from 0) in which the engine crashed. */
  readonly quantum: number;
  /** Single steps the core takes in that quantum before it stops. */
  readonly steps: number;
  readonly reason: string;
}

export interface CrashPlan {
  readonly stops: readonly CrashStop[];
  /** Where to record progress: the quantum about to run, or the step about to be taken. */
  readonly record?: string;
  /** Step this quantum one instruction at a time, recording each step (the narrowing re-run). */
  readonly narrowQuantum?: number;
}

/** What the locating re-run recorded last: the quantum the engine died in. */
interface QuantumRecord {
  readonly kind: 'quantum';
  readonly quantum: number;
  readonly node: number;
  readonly core: number;
}

/** What the narrowing re-run recorded last: the step the engine died in, and where it could go. */
export interface StepRecord {
  readonly kind: 'step';
  readonly steps: number;
  readonly node: number;
  readonly core: number;
  readonly isa: IsaName;
  readonly pc: number;
  /** Where the code after this step may start, each with the words there (hex, guest order). */
  readonly successors: readonly { readonly address: number; readonly bytes: string }[];
}

/** Or the narrowing re-run finished the quantum without a crash. */
interface SurvivedRecord {
  readonly kind: 'survived';
}

export type ProgressRecord = QuantumRecord | StepRecord | SurvivedRecord;
