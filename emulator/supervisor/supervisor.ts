import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRASH_SIGNALS, SUPERVISED_ENV, type CrashStop, type ProgressRecord, type StepRecord } from './crash-plan.js';
import { runEmulator, runningEmulators, type EmulatorExit } from './emulator-run.js';
import { probeCrashingCode } from './probe.js';

const EXIT_GUEST = 1;
/** Engine crashes one run may survive: each stops one more core. */
const MAX_CRASHES = 16;
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Whether this invocation runs under the supervisor: `boot` without `--gdb` (a gdb
 * session stays in one process, as `debug` does), and not already supervised.
 */
export function wantsSupervisor(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  return process.env[SUPERVISED_ENV] === undefined && args[0] === 'boot' &&
    !args.some((arg) => arg === '--gdb' || arg.startsWith('--gdb='));
}

function readRecord(path: string): ProgressRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProgressRecord;
  } catch {
    return undefined;
  }
}

function crashed(exit: EmulatorExit): boolean {
  return exit.signal !== null && CRASH_SIGNALS.has(exit.signal);
}

function describeCode(isa: string, code: { address: number; bytes: string }): string {
  const shown = isa.startsWith('sparc') ? `0x${code.bytes}` : (code.bytes.match(/../g) ?? []).slice(0, 8).join(' ');
  return `0x${code.address.toString(16)} (${shown})`;
}

/**
 * Finds where the engine died, by two deterministic re-runs: one that records each
 * quantum, one that steps the last quantum one instruction at a time; then a throwaway
 * probe names the code Unicorn could not translate.
 */
async function locateCrash(argv: readonly string[], stops: readonly CrashStop[], record: string): Promise<CrashStop | undefined> {
  const hidden = { argv, visible: false, skipBytes: 0, onRelayed: () => {} };
  if (!crashed(await runEmulator({ ...hidden, plan: { stops, record } }))) return undefined;
  const quantum = readRecord(record);
  if (quantum?.kind !== 'quantum') return undefined;
  if (!crashed(await runEmulator({ ...hidden, plan: { stops, record, narrowQuantum: quantum.quantum } }))) return undefined;
  const step = readRecord(record);
  if (step?.kind !== 'step') return undefined;
  const code = await probeCrashingCode(step as StepRecord);
  const where = code ? `translating ${describeCode(step.isa, code)}` : `translating the code after pc 0x${step.pc.toString(16)}`;
  return { quantum: quantum.quantum, steps: step.steps, reason: `the engine crashed ${where}: a Unicorn defect; core stopped` };
}

/** Passes the user's Ctrl-C or kill on to the emulator; the supervisor then ends as it did. */
function forwardSignals(): void {
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, () => {
      for (const child of runningEmulators) child.kill(signal);
    });
  }
}

/** A closed stdout (`| head -1`) ends the emulators and the run, quietly. */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    for (const child of runningEmulators) child.kill('SIGTERM');
    process.exit(0);
  });
}

/**
 * `clustervm boot` as a parent of the emulator. The host process must survive its
 * engine: Unicorn can die translating a guest's instruction, before any hook runs. When
 * the emulator dies of such a signal, the supervisor finds the core and point that
 * crashed and runs the cluster again with that core stopped there, so every other core
 * finishes. Determinism makes each re-run repeat the first up to that point, so the
 * output already shown is not shown again.
 */
export async function superviseBoot(argv: readonly string[]): Promise<number> {
  forwardSignals();
  endQuietlyWhenStdoutCloses();
  const stops: CrashStop[] = [];
  let relayed = 0;
  const scratch = mkdtempSync(join(tmpdir(), 'clustervm-supervisor-'));
  try {
    for (;;) {
      const exit = await runEmulator({
        argv, visible: true, skipBytes: relayed, onRelayed: (bytes) => { relayed += bytes; },
        ...(stops.length > 0 ? { plan: { stops } } : {}),
      });
      if (!crashed(exit)) return exitLikeEmulator(exit);
      const stop = stops.length < MAX_CRASHES ? await locateCrash(argv, stops, join(scratch, 'record')) : undefined;
      if (!stop) {
        process.stderr.write(`clustervm: the emulator died of ${exit.signal}${stops.length < MAX_CRASHES
          ? ' and a deterministic re-run could not locate the crash' : ` after ${MAX_CRASHES} engine crashes were stopped`}\n`);
        return EXIT_GUEST;
      }
      stops.push(stop);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The emulator's exit code; killed by a forwarded signal, the supervisor dies of it too. */
function exitLikeEmulator(exit: EmulatorExit): number {
  if (exit.signal === null) return exit.code ?? EXIT_GUEST;
  for (const signal of FORWARDED_SIGNALS) process.removeAllListeners(signal);
  process.kill(process.pid, exit.signal);
  return EXIT_GUEST;
}
