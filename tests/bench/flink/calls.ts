// FLink's Table 3 on every ISA: n calls of foo(i) = i + 1 under each binding intensity.
// Each run is a fresh boot (fail-safe links foo on its first call, once per boot); the
// guest instruction counts are exact and the same on every repetition, the wall time
// is the best repetition of `cluster.run` alone (boot and keystone assembly excluded).
import type { CoreSummary } from '../../../emulator/index.js';
import type { Intensity } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';
import { isSparc, runImage } from '../../support/index.js';
import { ISAS, writeCallsImage } from './guests.js';

export const CALL_COUNTS: readonly number[] = [100, 1000, 10000];
/** Runs per cell; the fastest counts. */
export const CALL_REPEATS = 7;
export const CALL_QUANTUM = 10_000;

export type Column = 'immediate' | 'mediated' | 'mediated-paper' | 'weak' | 'failsafe';
const COLUMNS: readonly Column[] = ['immediate', 'mediated', 'mediated-paper', 'weak', 'failsafe'];
export const columnsOf = (isa: IsaName): Column[] => COLUMNS.filter((c) => c !== 'mediated-paper' || isSparc(isa));

/** One image (isa, n, trampoline form) under one intensity, best of CALL_REPEATS. */
interface CallRun {
  readonly instructions: number;
  readonly traps: number;
  readonly us: number;
}

export interface CallCell {
  readonly isa: IsaName;
  readonly column: Column;
  readonly n: number;
  /** The n = 0 run of the same column: firmware, setup and report, subtracted below. */
  readonly base: CallRun;
  readonly run: CallRun;
  /** Loop only: run minus base. */
  readonly instructions: number;
  readonly traps: number;
  readonly us: number;
}

const intensityOf = (column: Column): Intensity => (column === 'mediated-paper' ? 'mediated' : column);

function checkRun(what: string, core: CoreSummary | undefined, n: number): CoreSummary {
  const sum = (BigInt(n) * BigInt(n + 1) / 2n).toString();
  if (core?.status !== 'exited' || core.exitStatus !== 0) {
    throw new Error(`${what}: core ended ${core?.status} ${core?.fault?.reason ?? `(exit ${core?.exitStatus})`}`);
  }
  if (core.result !== sum) throw new Error(`${what}: reported ${core.result}, expected ${sum}`);
  return core;
}

interface Config {
  readonly isa: IsaName;
  readonly column: Column;
  readonly n: number;
  readonly image: string;
  best?: CallRun;
}

/** One fresh boot of a configuration, run to the end; keeps the fastest run. */
async function runOnce(config: Config): Promise<void> {
  const what = `${config.isa} ${config.column} n=${config.n}`;
  const run = await runImage(config.image, {
    quantum: CALL_QUANTUM, bind: new Map([['foo', intensityOf(config.column)]]),
  });
  const summary = checkRun(what, run.cores[0], config.n);
  const best = config.best;
  if (best && (summary.instructions !== best.instructions || summary.traps !== best.traps)) {
    throw new Error(`${what}: repetitions differ (${summary.instructions} vs ${best.instructions} instructions)`);
  }
  config.best = { instructions: summary.instructions, traps: summary.traps, us: Math.min(run.hostMs * 1000, best?.us ?? Infinity) };
}

export async function measureCalls(): Promise<CallCell[]> {
  const configs: Config[] = [];
  for (const isa of ISAS) {
    for (const paper of isSparc(isa) ? [false, true] : [false]) {
      const images = new Map([0, ...CALL_COUNTS].map((n) => [n, writeCallsImage(isa, n, paper)]));
      for (const column of columnsOf(isa).filter((c) => (c === 'mediated-paper') === paper)) {
        for (const [n, image] of images) configs.push({ isa, column, n, image });
      }
    }
  }
  // Repetitions go round all configurations, so warming up (the JIT, libunicorn) and
  // any slow spell of the host spread over all cells instead of the first ones.
  for (let repeat = 0; repeat < CALL_REPEATS; repeat++) {
    for (const config of configs) await runOnce(config);
  }
  const runOf = (isa: IsaName, column: Column, n: number) =>
    configs.find((c) => c.isa === isa && c.column === column && c.n === n)!.best!;
  return configs.filter((c) => c.n !== 0).map(({ isa, column, n }) => {
    const base = runOf(isa, column, 0);
    const run = runOf(isa, column, n);
    return {
      isa, column, n, base, run,
      instructions: run.instructions - base.instructions,
      traps: run.traps - base.traps,
      us: run.us - base.us,
    };
  });
}
