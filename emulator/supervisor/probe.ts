import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StepRecord } from './crash-plan.js';
import { CRASH_SIGNALS } from './emulator-process.mjs';

const PROBE_ENTRY = fileURLToPath(new URL('./probe-entry.mjs', import.meta.url));
const PROBE_TIMEOUT_MS = 20_000;
const SPARC_WORD_BYTES = 4;

export interface ProbeRequest {
  readonly isa: string;
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
  if (!step.isa.startsWith('sparc')) return step.successors.map(({ address, bytes }) => ({ address, bytes }));
  return step.successors.flatMap(({ address, bytes }) =>
    Array.from({ length: bytes.length / (2 * SPARC_WORD_BYTES) }, (_, i) => ({
      address: address + SPARC_WORD_BYTES * i,
      bytes: bytes.slice(2 * SPARC_WORD_BYTES * i, 2 * SPARC_WORD_BYTES * (i + 1)),
    })));
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
