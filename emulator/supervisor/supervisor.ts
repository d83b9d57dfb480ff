import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISAS, unreachable, type IsaName } from '../../isa/index.js';
import type { CrashStop, ProgressRecord } from './crash-plan.js';
import { exitLikeEmulator, isEngineCrash, runEmulator, type EmulatorExit } from './emulator-process.mjs';
import { probeCrashingCode } from './probe.js';

const EXIT_GUEST = 1;
/** Engine crashes one run may survive: each stops one more core. */
const MAX_CRASHES = 16;

function readRecord(path: string): ProgressRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProgressRecord;
  } catch {
    return undefined;
  }
}

/** A SPARC word as one number; x86 bytes one by one, the first eight of the block. */
function showBytes(isa: IsaName, hex: string): string {
  const family = ISAS[isa].family;
  switch (family) {
    case 'sparc': return `0x${hex}`;
    case 'x86': return (hex.match(/../g) ?? []).slice(0, 8).join(' ');
    default: return unreachable(family);
  }
}

function describeCode(isa: IsaName, code: { address: number; bytes: string }): string {
  return `0x${code.address.toString(16)} (${showBytes(isa, code.bytes)})`;
}

/**
 * Finds where the engine died, by two deterministic re-runs: one that records each
 * quantum, one that steps the last quantum one instruction at a time; then a throwaway
 * probe names the code Unicorn could not translate.
 */
async function locateCrash(argv: readonly string[], stops: readonly CrashStop[], record: string): Promise<CrashStop | undefined> {
  if (!isEngineCrash(await runEmulator({ argv, visible: false, plan: { stops, record } }))) return undefined;
  const quantum = readRecord(record);
  if (quantum?.kind !== 'quantum') return undefined;
  if (!isEngineCrash(await runEmulator({ argv, visible: false, plan: { stops, record, narrowQuantum: quantum.quantum } }))) return undefined;
  const step = readRecord(record);
  if (step?.kind !== 'step') return undefined;
  const code = await probeCrashingCode(step);
  const where = code ? `translating ${describeCode(step.isa, code)}` : `translating the code after pc 0x${step.pc.toString(16)}`;
  return { quantum: quantum.quantum, steps: step.steps, reason: `the engine crashed ${where}: a Unicorn defect; core stopped` };
}

/**
 * The rest of `clustervm boot` once the emulator died of a signal. The host process
 * must survive its engine: Unicorn can die translating a guest's instruction, before any
 * hook runs. The supervisor finds the core and point that crashed and runs the cluster
 * again with that core stopped there, so every other core finishes; and again for each
 * further crash. Determinism makes each re-run repeat the first up to that point, so
 * the `relayed` bytes of output already shown are not shown again.
 */
export async function recoverFromCrash(argv: readonly string[], crash: EmulatorExit, relayed: number): Promise<number> {
  const stops: CrashStop[] = [];
  let shown = relayed;
  let exit = crash;
  const scratch = mkdtempSync(join(tmpdir(), 'clustervm-supervisor-'));
  try {
    while (isEngineCrash(exit)) {
      const stop = stops.length < MAX_CRASHES ? await locateCrash(argv, stops, join(scratch, 'record')) : undefined;
      if (!stop) {
        process.stderr.write(`clustervm: the emulator died of ${exit.signal}${stops.length < MAX_CRASHES
          ? ' and a deterministic re-run could not locate the crash' : ` after ${MAX_CRASHES} engine crashes were stopped`}\n`);
        return EXIT_GUEST;
      }
      stops.push(stop);
      exit = await runEmulator({ argv, visible: true, plan: { stops }, skipBytes: shown, onRelayed: (bytes) => { shown += bytes; } });
    }
    return exitLikeEmulator(exit);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
