// Guest MIPS of the compute loop through the real TypeScript scheduler, next to
// native-loop.c running the same bytes in the same quanta, and in one uncounted run: the
// engine's ceiling on this code. Unicorn's counted execution
// runs at one of two speeds (about 1.45x apart), mostly fixed per process, the slow one more
// often in node processes, so every sample of either side is a fresh process measuring
// all quanta, and the sides alternate.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Toolchain } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { computeSource, INSTRUCTION_LIMIT, type ScheduledRun } from './compute.js';
import {
  buildNativeLoop, runNativeLoop, UNCOUNTED, writeNativeGuest, type NativeGuest, type NativeRun,
} from './native.js';

const MIPS_ISAS: readonly IsaName[] = ['x86-32', 'sparc32', 'x86-64', 'sparc64'];
export const QUANTA: readonly number[] = [1_000, 10_000, 100_000];
export const MIPS_SAMPLES = 5;
const SCHEDULED_RUN = join(dirname(fileURLToPath(import.meta.url)), 'scheduled-run.ts');
/** Firmware instructions before `main`, which the native run skips. */
const FIRMWARE_SLACK = 64;

/** One process of each side, all quanta: index i of `ts` and `c` is quantum QUANTA[i]. */
interface MipsSample {
  readonly ts: readonly ScheduledRun[];
  readonly c: readonly NativeRun[];
  /** The C side's run without a count, in the same process as `c`. */
  readonly uncounted: NativeRun;
}


export interface IsaMips {
  readonly isa: IsaName;
  readonly samples: readonly MipsSample[];
}

function writeGuestCode(toolchain: Toolchain, isa: IsaName): NativeGuest {
  const sourcePath = computeSource(isa);
  return writeNativeGuest(toolchain, isa, readFileSync(sourcePath, 'utf8'), relative(process.cwd(), sourcePath));
}

/** A child with this process's node flags (the tsx loader), so it runs TypeScript too. */
function runScheduledChild(guest: NativeGuest): ScheduledRun[] {
  const output = execFileSync(process.execPath,
    [...process.execArgv, SCHEDULED_RUN, guest.isa, guest.codePath, ...QUANTA.map(String)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output) as ScheduledRun[];
}

// The native run executes the same loop: its quanta must cover the scheduler's count,
// less the firmware it skips and plus the delay-slot instructions it replayed.
function checkSameWork(isa: IsaName, ts: ScheduledRun, c: NativeRun): void {
  const covered = ts.instructions - c.replays;
  if (ts.quantum !== c.quantum || covered > c.quanta * c.quantum + FIRMWARE_SLACK ||
      covered <= (c.quanta - 1) * c.quantum) {
    throw new Error(`${isa} q=${c.quantum}: native run took ${c.quanta} quanta for ${ts.instructions} instructions`);
  }
}

export function measureMips(toolchain: Toolchain): IsaMips[] {
  const binary = buildNativeLoop();
  return MIPS_ISAS.map((isa) => {
    const guest = writeGuestCode(toolchain, isa);
    const samples: MipsSample[] = [];
    for (let sample = 0; sample < MIPS_SAMPLES; sample++) {
      const ts = runScheduledChild(guest);
      const [uncounted, ...c] = runNativeLoop(binary, guest, [UNCOUNTED, ...QUANTA], INSTRUCTION_LIMIT);
      ts.forEach((run, i) => checkSameWork(isa, run, c[i]!));
      samples.push({ ts, c, uncounted: uncounted! });
    }
    return { isa, samples };
  });
}
