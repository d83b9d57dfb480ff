import { spawn } from 'node:child_process';
import { CRASH_PLAN_ENV, SUPERVISED_ENV, type CrashPlan } from './crash-plan.js';

export interface EmulatorExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface EmulatorRunOptions {
  /** The CLI entry and its arguments, as the user gave them. */
  readonly argv: readonly string[];
  readonly plan?: CrashPlan;
  /** Relay the emulator's stdout and stderr; a hidden re-run discards them. */
  readonly visible: boolean;
  /** Bytes of stdout an earlier run already relayed: the same prefix, not printed again. */
  readonly skipBytes: number;
  /** Counts each chunk of stdout relayed. */
  readonly onRelayed: (bytes: number) => void;
}

/** Emulators running now, so that a signal to the supervisor reaches them. */
export const runningEmulators = new Set<ReturnType<typeof spawn>>();

/**
 * Runs the emulator (this CLI, told it is supervised) as a child process: stdin and
 * stderr are the supervisor's own, stdout is relayed byte for byte.
 */
export function runEmulator(options: EmulatorRunOptions): Promise<EmulatorExit> {
  const env: NodeJS.ProcessEnv = { ...process.env, [SUPERVISED_ENV]: '1' };
  if (options.plan) env[CRASH_PLAN_ENV] = JSON.stringify(options.plan);
  const child = spawn(process.execPath, [...process.execArgv, ...options.argv.slice(1)], {
    env,
    stdio: options.visible ? ['inherit', 'pipe', 'inherit'] : ['ignore', 'ignore', 'ignore'],
  });
  runningEmulators.add(child);
  let skip = options.skipBytes;
  child.stdout?.on('data', (chunk: Buffer) => {
    const fresh = skip >= chunk.length ? undefined : chunk.subarray(skip);
    skip = Math.max(0, skip - chunk.length);
    if (!fresh) return;
    options.onRelayed(fresh.length);
    if (!process.stdout.write(fresh)) {
      child.stdout!.pause();
      process.stdout.once('drain', () => child.stdout!.resume());
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      runningEmulators.delete(child);
      resolve({ code, signal });
    });
  });
}
