// Running the emulator as a child of the supervisor, in plain JavaScript: a `boot` that
// does not crash needs nothing else, so the supervisor loads no TypeScript (no tsx) for
// it and a plain run costs one small extra Node process.
import { spawn } from 'node:child_process';

/** Set in the emulator the supervisor runs, so it does not supervise itself. */
const SUPERVISED_ENV = 'CLUSTERVM_SUPERVISED';
/** A re-run's plan as JSON; absent in the plain run, which then has no hook at all. */
export const CRASH_PLAN_ENV = 'CLUSTERVM_CRASH_PLAN';
/** Signals by which a process dies of a defect in its own code (here: Unicorn's). */
export const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS']);
/** Signals from the user (Ctrl-C, kill) that the supervisor passes on to its emulators. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const EXIT_GUEST = 1;

/** Emulators running now, so that a signal or a closed stdout reaches them. */
const runningEmulators = new Set();

/**
 * Whether this invocation runs under the supervisor: `boot` without `--gdb` (a gdb
 * session stays in one process, as `debug` does), and not already supervised.
 */
export function wantsSupervisor(argv) {
  const args = argv.slice(2);
  return process.env[SUPERVISED_ENV] === undefined && args[0] === 'boot' &&
    !args.some((arg) => arg === '--gdb' || arg.startsWith('--gdb='));
}

/**
 * Makes the supervisor a transparent parent: a signal from the user goes to its
 * emulators, and a closed stdout (`| head -1`) ends them and the run, quietly.
 */
export function superviseProcess() {
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, () => {
      for (const child of runningEmulators) child.kill(signal);
    });
  }
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    for (const child of runningEmulators) child.kill('SIGTERM');
    process.exit(0);
  });
}

/**
 * Runs this CLI again as the emulator. A visible run shares stdin and stderr and relays
 * stdout byte for byte, less the first `skipBytes` an earlier run already printed (a
 * deterministic re-run repeats them); a hidden re-run has no stdio. Resolves with
 * `{ code, signal }`.
 */
export function runEmulator({ argv, plan, visible, skipBytes = 0, onRelayed = () => {} }) {
  const env = { ...process.env, [SUPERVISED_ENV]: '1' };
  if (plan) env[CRASH_PLAN_ENV] = JSON.stringify(plan);
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
    env,
    stdio: visible ? ['inherit', 'pipe', 'inherit'] : ['ignore', 'ignore', 'ignore'],
  });
  runningEmulators.add(child);
  let skip = skipBytes;
  child.stdout?.on('data', (chunk) => {
    const fresh = skip >= chunk.length ? undefined : chunk.subarray(skip);
    skip = Math.max(0, skip - chunk.length);
    if (!fresh) return;
    onRelayed(fresh.length);
    if (!process.stdout.write(fresh)) {
      child.stdout.pause();
      process.stdout.once('drain', () => child.stdout.resume());
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

export function isEngineCrash(exit) {
  return exit.signal !== null && CRASH_SIGNALS.has(exit.signal);
}

/** The emulator's exit code; killed by a forwarded signal, the supervisor dies of it too. */
export function exitLikeEmulator(exit) {
  if (exit.signal === null) return exit.code ?? EXIT_GUEST;
  for (const signal of FORWARDED_SIGNALS) process.removeAllListeners(signal);
  process.kill(process.pid, exit.signal);
  return EXIT_GUEST;
}
