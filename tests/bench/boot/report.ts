// Figures and tables of the boot benchmark, from the raw samples. Targets are printed
// beside the figures, never asserted.
import { unicornVersion } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { formatTable } from '../format.js';
import { median } from '../stats.js';
import { BOOT_REPEATS, type BootTiming } from './boot-time.js';
import { MIPS_SAMPLES, QUANTA, type IsaMips } from './mips.js';
import { SCALE_RAM_MIB, type ScaleRow } from './scale.js';

/** Plurix boot times from the paper, the figures clustervm is compared to. */
const PAPER = { masterNodeMs: 791, joiningNodeMs: 240 };
const BOOT_TARGET_MS = 1000;
const RATIO_TARGET = 0.9;
/** Share of the engine's uncounted speed the scheduler should reach, per quantum. */
const CEILING_TARGETS: ReadonlyMap<number, number> = new Map([[10_000, 0.5], [100_000, 0.7]]);
export const TARGET_QUANTUM = 10_000;

/** One isa at one quantum. Ratios are TS speed over C speed: 1 is parity. */
export interface MipsFigures {
  readonly isa: IsaName;
  readonly quantum: number;
  readonly instructions: number;
  /** From the fastest sample of each side: what each reaches when the machine lets it. */
  readonly tsMips: number;
  readonly cMips: number;
  readonly ratio: number;
  /** From the median samples: what a typical run sees. */
  readonly medianRatio: number;
  /** The same code run uncounted from C (the fastest sample): the engine's ceiling. */
  readonly ceilingMips: number;
  /** TS speed over the ceiling: 1 would be the engine's full speed. */
  readonly ceilingRatio: number;
}

/** The fixed cost of one uc_emu_start round trip, apart from the instructions it runs. */
export interface QuantumCost {
  readonly isa: IsaName;
  readonly tsUs: number;
  readonly cUs: number;
  /** Share of the TS run time at TARGET_QUANTUM that its extra per-quantum cost explains. */
  readonly extraShareAtTarget: number;
}

export function mipsFigures(results: readonly IsaMips[]): MipsFigures[] {
  return results.flatMap(({ isa, samples }) => QUANTA.map((quantum, i) => {
    const ts = samples.map((sample) => sample.ts[i]!.seconds);
    const c = samples.map((sample) => sample.c[i]!.seconds);
    const uncounted = Math.min(...samples.map((sample) => sample.uncounted.seconds));
    const instructions = samples[0]!.ts[i]!.instructions;
    return {
      isa, quantum, instructions,
      tsMips: instructions / Math.min(...ts) / 1e6,
      cMips: instructions / Math.min(...c) / 1e6,
      ratio: Math.min(...c) / Math.min(...ts),
      medianRatio: median(c) / median(ts),
      ceilingMips: instructions / uncounted / 1e6,
      ceilingRatio: uncounted / Math.min(...ts),
    };
  }));
}

// Both sides run the same instructions at the smallest and the largest quantum within
// one process, so the time difference over the difference in uc_emu_start calls is the
// per-quantum cost, whatever the process's speed per instruction.
export function quantumCosts(results: readonly IsaMips[]): QuantumCost[] {
  const small = 0;
  const large = QUANTA.length - 1;
  const target = QUANTA.indexOf(TARGET_QUANTUM);
  return results.map(({ isa, samples }) => {
    const perQuantumUs = (side: 'ts' | 'c') => median(samples.map((sample) => {
      const calls = sample.c[small]!.quanta + sample.c[small]!.replays - sample.c[large]!.quanta - sample.c[large]!.replays;
      return (sample[side][small]!.seconds - sample[side][large]!.seconds) / calls * 1e6;
    }));
    const tsUs = perQuantumUs('ts');
    const cUs = perQuantumUs('c');
    const atTarget = samples.map((sample) => sample.c[target]!.quanta + sample.c[target]!.replays);
    const tsSeconds = median(samples.map((sample) => sample.ts[target]!.seconds));
    return { isa, tsUs, cUs, extraShareAtTarget: (tsUs - cUs) * median(atTarget) / 1e6 / tsSeconds };
  });
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
export const quantumKey = (quantum: number) => `${quantum / 1000}k`;

export function printBoot(toolchainMs: number, boots: readonly BootTiming[]): void {
  process.stdout.write('boot to the first guest instruction: the first boot of each image in this process (the very ' +
    `first also loads libunicorn), then the median of ${BOOT_REPEATS} more; toolchain load, once per process: ` +
    `${toolchainMs.toFixed(0)} ms\n`);
  process.stdout.write(`${formatTable(
    ['image', 'nodes', 'cores', 'first ms', 'median ms', 'assembly ms', 'ms/core'],
    boots.map((boot) => [
      boot.image, String(boot.nodes), String(boot.cores), boot.firstMs.toFixed(1), boot.medianMs.toFixed(1),
      boot.assembleMs.toFixed(1), (boot.medianMs / boot.cores).toFixed(2),
    ]),
  )}\n`);
  const largest = boots[boots.length - 1]!;
  process.stdout.write(`paper (Plurix): master node ${PAPER.masterNodeMs} ms, joining node ~${PAPER.joiningNodeMs} ms\n`);
  process.stdout.write(`target: ${largest.cores} cores under ${BOOT_TARGET_MS} ms: first ${largest.firstMs.toFixed(0)} ms, ` +
    `median ${largest.medianMs.toFixed(0)} ms (${verdict(largest.firstMs < BOOT_TARGET_MS)})\n\n`);
}

export function printMips(figures: readonly MipsFigures[], costs: readonly QuantumCost[]): void {
  process.stdout.write(`guest MIPS: TypeScript scheduler vs libunicorn ${unicornVersion()} from C, same code and quanta ` +
    `(${MIPS_SAMPLES} processes per side; MIPS from the fastest; node ${process.version})\n`);
  process.stdout.write(`${formatTable(
    ['isa', 'quantum', 'instructions', 'TS MIPS', 'C MIPS', 'TS/C', 'TS/C median', 'C uncounted MIPS', 'TS/uncounted'],
    figures.map((row) => [
      row.isa, String(row.quantum), String(row.instructions), row.tsMips.toFixed(1), row.cMips.toFixed(1),
      percent(row.ratio), percent(row.medianRatio), row.ceilingMips.toFixed(1), percent(row.ceilingRatio),
    ]),
  )}\n`);
  const atTarget = figures.filter((row) => row.quantum === TARGET_QUANTUM);
  const judged = atTarget.map((row) => `${row.isa} ${percent(row.ratio)} (${verdict(row.ratio >= RATIO_TARGET)})`);
  process.stdout.write(`target: TS >= ${percent(RATIO_TARGET)} of C at quantum ${quantumKey(TARGET_QUANTUM)}: ${judged.join(', ')}\n`);
  for (const [quantum, target] of CEILING_TARGETS) {
    const rows = figures.filter((row) => row.quantum === quantum);
    const ceiling = rows.map((row) => `${row.isa} ${percent(row.ceilingRatio)} (${verdict(row.ceilingRatio >= target)})`);
    process.stdout.write(`target: TS >= ${percent(target)} of uncounted at quantum ${quantumKey(quantum)}: ${ceiling.join(', ')}\n`);
  }
  process.stdout.write('\n');

  process.stdout.write(`cost of one quantum apart from its instructions (from ${quantumKey(QUANTA[0]!)} vs ` +
    `${quantumKey(QUANTA[QUANTA.length - 1]!)} in the same process, medians; SPARC delay-slot replays count as quanta)\n`);
  process.stdout.write(`${formatTable(
    ['isa', 'TS us', 'C us', 'TS extra us', `extra share of TS time at ${quantumKey(TARGET_QUANTUM)}`],
    costs.map((cost) => [
      cost.isa, cost.tsUs.toFixed(2), cost.cUs.toFixed(2), (cost.tsUs - cost.cUs).toFixed(2), percent(cost.extraShareAtTarget),
    ]),
  )}\n\n`);
}

/** libunicorn's own resident memory per engine, with transparent huge pages off (as clustervm runs) and on. */
export interface BareEngine {
  readonly mib: number;
  readonly hugePagesMiB: number;
}

export function printScale(rows: readonly ScaleRow[], bare: BareEngine): void {
  process.stdout.write(`clusters of 4-core nodes, the four ISAs in equal shares, ${SCALE_RAM_MIB} MiB of RAM per node, ` +
    'each booted (to reset) in a process of its own; memory is the resident set the boot added\n');
  process.stdout.write(`${formatTable(
    ['nodes', 'cores', 'boot ms', 'MiB', 'MiB per core', 'node RAM per core'],
    rows.map((row) => (row.refused !== undefined
      ? [String(row.nodes), String(row.cores), 'refused', '-', '-', '-']
      : [
        String(row.nodes), String(row.cores), row.bootMs!.toFixed(0), row.rssMiB!.toFixed(0),
        (row.rssMiB! / row.cores).toFixed(2), (SCALE_RAM_MIB / 4).toFixed(2),
      ])),
  )}\n`);
  for (const row of rows.filter((r) => r.refused !== undefined)) {
    process.stdout.write(`${row.nodes} x 4 refused: ${row.refused!.replace(/^.*?: nodes: /, '')}\n`);
  }
  const booted = rows.filter((row) => row.rssMiB !== undefined);
  const over = booted.map((row) => `${row.cores} cores ${(row.rssMiB! / row.cores - bare.mib).toFixed(2)}`).join(', ');
  process.stdout.write(`libunicorn alone, from C: ${bare.mib.toFixed(2)} MiB per engine opened with one instruction run, ` +
    `${bare.hugePagesMiB.toFixed(2)} MiB with transparent huge pages (QEMU asks for them on each translation buffer; ` +
    'clustervm turns them off); ' +
    `clustervm's share per core beyond it, node RAM included (untouched RAM is not resident): ${over} MiB\n`);
  const largest = booted.at(-1);
  if (largest) {
    const within = largest.bootMs! <= 60_000 ? 'within the 60 s budget' : 'OVER the 60 s budget';
    process.stdout.write(`largest cluster booted: ${largest.nodes} x 4 = ${largest.cores} cores in ${(largest.bootMs! / 1000).toFixed(1)} s, ` +
      `${within}; the next size is refused by the engine ceiling (MAX_ENGINES), not by time\n`);
  }
  process.stdout.write('\n');
}
