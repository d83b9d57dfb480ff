import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ISAS, unreachable, type IsaName } from '../../isa/index.js';
import type { StepRecord } from './crash-plan.js';
import { CRASH_SIGNALS } from './emulator-process.mjs';

const PROBE_ENTRY = fileURLToPath(new URL('./probe-entry.mjs', import.meta.url));
const PROBE_TIMEOUT_MS = 20_000;

export interface ProbeRequest {
  readonly isa: IsaName;
  /** Code to translate alone, hex. */
  readonly candidates: readonly string[];
}

/** The code that crashed the engine: its address and bytes, as the fault names them. */
export interface CrashingCode {
  readonly address: number;
  readonly bytes: string;
}

/**
 * Candidates in the order the code after the step runs them. SPARC instructions are
 * probed one word at a time, so the probe names the very instruction; x86 code is
 * probed as a block from each place it may start.
 */
function candidates(step: StepRecord): CrashingCode[] {
  const family = ISAS[step.isa].family;
  switch (family) {
    case 'x86': return step.successors.map(({ address, bytes }) => ({ address, bytes }));
    case 'sparc': return step.successors.flatMap(({ address, bytes }) => words(address, bytes, ISAS[step.isa].longestInstruction));
    default: return unreachable(family);
  }
}

function words(address: number, hex: string, wordBytes: number): CrashingCode[] {
  return Array.from({ length: hex.length / (2 * wordBytes) }, (_, i) => ({
    address: address + wordBytes * i,
    bytes: hex.slice(2 * wordBytes * i, 2 * wordBytes * (i + 1)),
  }));
}

/**
 * Translates each candidate alone in a fresh engine in a throwaway process; the first
 * one that kills that process is the code Unicorn cannot translate. Undefined when none does.
 */
export function probeCrashingCode(step: StepRecord): Promise<CrashingCode | undefined> {
  const list = candidates(step);
  const request: ProbeRequest = { isa: step.isa, candidates: list.map((candidate) => candidate.bytes) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE_ENTRY, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let survived = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) survived++;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(signal !== null && CRASH_SIGNALS.has(signal) && survived < list.length ? list[survived] : undefined));
  });
}
