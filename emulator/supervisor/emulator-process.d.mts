import type { CrashPlan } from './crash-plan.js';

export declare const CRASH_PLAN_ENV: string;
export declare const CRASH_SIGNALS: ReadonlySet<string>;

export interface EmulatorExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface EmulatorRunOptions {
  /** The CLI entry and its arguments, as the user gave them (process.argv). */
  readonly argv: readonly string[];
  readonly plan?: CrashPlan;
  readonly visible: boolean;
  readonly skipBytes?: number;
  readonly onRelayed?: (bytes: number) => void;
}

export declare function wantsSupervisor(argv: readonly string[]): boolean;
export declare function superviseProcess(): void;
export declare function runEmulator(options: EmulatorRunOptions): Promise<EmulatorExit>;
export declare function isEngineCrash(exit: EmulatorExit): boolean;
export declare function exitLikeEmulator(exit: EmulatorExit): number;
