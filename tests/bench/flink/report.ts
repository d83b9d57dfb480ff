// Tables of the flink benchmark, beside FLink's own figures. Targets are printed as
// pass/miss lines, never asserted.
import type { IsaName } from '../../../isa/index.js';
import { barChart } from '../../../emulator/reports/index.js';
import { formatTable } from '../format.js';
import { writePlot } from '../plots.js';
import { median } from '../stats.js';
import type { Intensity } from '../../../linker/index.js';
import { C_CALLS, type CCallCell } from './c-calls.js';
import { CALL_COUNTS, CALL_QUANTUM, CALL_REPEATS, columnsOf, type CallCell, type Column } from './calls.js';
import { isSparc } from '../../support/index.js';
import { HOOK_SITES, ISAS } from './guests.js';
import { RELINK_CORES, RELINK_QUANTUM, RELINKS, type RelinkResult } from './relink.js';

/** FLink, Table 3: microseconds for n calls of foo(i) = i + 1. */
const PAPER_US: Readonly<Record<'immediate' | 'mediated' | 'weak' | 'failsafe', Readonly<Record<number, number>>>> = {
  immediate: { 100: 25, 1000: 230, 10000: 2400 },
  mediated: { 100: 38, 1000: 360, 10000: 3500 },
  weak: { 100: 2380, 1000: 24000, 10000: 242000 },
  failsafe: { 100: 4400, 1000: 44100, 10000: 440000 },
};
/** Linux: flipping a static key with 56 sites on 24 CPUs. */
const LINUX_US = { unbatched: 57_000, batched: 1_400 };
const TARGETS = { mediated: 1.3, weak: 4 };
export const SUMMARY_N = 10000;

const LABELS: Readonly<Record<Column, string>> = {
  immediate: 'immediate', mediated: 'mediated', 'mediated-paper': 'mediated (paper form)', weak: 'weak', failsafe: 'fail-safe',
};
const paperUs = (column: Column, n: number) => PAPER_US[column === 'mediated-paper' ? 'mediated' : column][n]!;
const verdict = (met: boolean) => (met ? 'pass' : 'MISS');
const group = (value: number) => value.toLocaleString('en-US');
const ratio = (value: number) => `${value.toFixed(value < 10 ? 3 : 1)}x`;
const us = (value: number) => value.toFixed(value < 100 ? 1 : 0);

function cell(cells: readonly CallCell[], isa: IsaName, column: Column, n: number): CallCell {
  const found = cells.find((c) => c.isa === isa && c.column === column && c.n === n);
  if (!found) throw new Error(`no cell ${isa} ${column} n=${n}`);
  return found;
}

/** Ratio to immediate in loop instructions at n. */
export function instructionRatio(cells: readonly CallCell[], isa: IsaName, column: Column, n: number): number {
  return cell(cells, isa, column, n).instructions / cell(cells, isa, 'immediate', n).instructions;
}

/** Fail-safe's trap, paid once: the per-call cost from the n = 1000 and n = 10000 runs, and what is left over. */
interface OneTimeCost {
  readonly isa: IsaName;
  /** (I(10000) - I(1000)) / 9000 for fail-safe and for immediate. */
  readonly perCall: number;
  readonly immediatePerCall: number;
  /** I(n) - n * perCall at each n; the same at every n when the trap is paid once. */
  readonly instructions: readonly number[];
  readonly traps: readonly number[];
  /** Fail-safe minus immediate run time at n = 100 (the trap, the link and the patching). */
  readonly us: number;
  readonly met: boolean;
}

function oneTimeCost(cells: readonly CallCell[], isa: IsaName): OneTimeCost {
  const [small, large] = [CALL_COUNTS[CALL_COUNTS.length - 2]!, CALL_COUNTS[CALL_COUNTS.length - 1]!];
  const marginal = (column: Column) =>
    (cell(cells, isa, column, large).instructions - cell(cells, isa, column, small).instructions) / (large - small);
  const perCall = marginal('failsafe');
  const immediatePerCall = marginal('immediate');
  const instructions = CALL_COUNTS.map((n) => cell(cells, isa, 'failsafe', n).instructions - n * perCall);
  const traps = CALL_COUNTS.map((n) => cell(cells, isa, 'failsafe', n).traps);
  const immediateTraps = CALL_COUNTS.map((n) => cell(cells, isa, 'immediate', n).traps);
  const met = perCall === immediatePerCall && instructions.every((count) => count === instructions[0]) &&
    traps.every((count, i) => count === immediateTraps[i]! + 1);
  const first = CALL_COUNTS[0]!;
  return {
    isa, perCall, immediatePerCall, instructions, traps, met,
    us: cell(cells, isa, 'failsafe', first).run.us - cell(cells, isa, 'immediate', first).run.us,
  };
}

export function printCalls(cells: readonly CallCell[]): void {
  process.stdout.write(`FLink Table 3: n calls of foo(i) = i+1 from main to module foo, one core, quantum ${CALL_QUANTUM}; ` +
    `a fresh boot per run, foo bound by { bind: foo=<intensity> }\n` +
    'instructions: guest instructions of the loop only, exact (core summary), less the n=0 run of the same image ' +
    'and binding (firmware, setup, report, exit); traps likewise; x imm: instructions over immediate\'s at the ' +
    `same n; run us: host time of cluster.run alone (no boot, no assembly), best of ${CALL_REPEATS}; loop us: less the ` +
    'n=0 run\'s; paper: FLink\'s Table 3 (us, its ratio to immediate)\n');
  for (const isa of ISAS) {
    const columns = columnsOf(isa);
    const base = cell(cells, isa, 'immediate', CALL_COUNTS[0]!).base;
    process.stdout.write(`\n${isa}: n=0 run ${group(base.instructions)} instructions, ${base.traps} traps, ` +
      `${us(base.us)} us\n`);
    const rows = columns.flatMap((column) => CALL_COUNTS.map((n) => {
      const c = cell(cells, isa, column, n);
      const paper = paperUs(column, n);
      return [
        LABELS[column], String(n), group(c.instructions), String(c.traps), (c.instructions / n).toFixed(2),
        ratio(instructionRatio(cells, isa, column, n)), ratio(paper / PAPER_US.immediate[n]!),
        us(c.run.us), us(c.us), group(paper),
      ];
    }));
    process.stdout.write(`${formatTable(
      ['binding', 'n', 'instructions', 'traps', 'per call', 'x imm', 'paper x imm', 'run us', 'loop us', 'paper us'], rows,
    )}\n`);
    const once = oneTimeCost(cells, isa);
    process.stdout.write(`fail-safe one-time cost: +${once.instructions.map(group).join('/')} instructions and ` +
      `${once.traps.join('/')} trap (n=${CALL_COUNTS.join('/')}), about ${us(once.us)} us of host time ` +
      `(run us over immediate's at n=${CALL_COUNTS[0]}); per call from n=${CALL_COUNTS[CALL_COUNTS.length - 2]} to ` +
      `${SUMMARY_N}: ${once.perCall.toFixed(4)} instructions, immediate ${once.immediatePerCall.toFixed(4)}\n`);
  }
}

/** Table 3 as bars: each binding's cost over immediate's at n = SUMMARY_N, per ISA (loop instructions) beside FLink's (us). */
export function plotCalls(cells: readonly CallCell[]): void {
  const bindings = ['immediate', 'mediated', 'weak', 'failsafe'] as const;
  writePlot('flink', 'table-3', barChart(
    { title: `FLink Table 3: ${group(SUMMARY_N)} calls of foo, over immediate (log scale)`, xLabel: 'binding', yLabel: 'cost over immediate (x)' },
    bindings.map((binding) => LABELS[binding]),
    [
      ...ISAS.map((isa) => ({ name: `${isa} (instructions)`, values: bindings.map((binding) => instructionRatio(cells, isa, binding, SUMMARY_N)) })),
      { name: 'FLink paper (us)', values: bindings.map((binding) => PAPER_US[binding][SUMMARY_N]! / PAPER_US.immediate[SUMMARY_N]!) },
    ],
    { log: true }));
}

export function printCallTargets(cells: readonly CallCell[]): void {
  const line = (label: string, judge: (isa: IsaName) => string) =>
    process.stdout.write(`  ${label}: ${ISAS.map((isa) => `${isa} ${judge(isa)}`).join(', ')}\n`);
  process.stdout.write(`\ntargets (guest instructions of the loop at n=${SUMMARY_N}):\n`);
  for (const column of ['mediated', 'weak'] as const) {
    const what = column === 'mediated' ? 'mediated (shortest trampoline)' : 'weak (mediator in guest code, no trap)';
    line(`${what} <= ${TARGETS[column]}x immediate`, (isa) => {
      const value = instructionRatio(cells, isa, column, SUMMARY_N);
      return `${ratio(value)} ${verdict(value <= TARGETS[column])}`;
    });
  }
  process.stdout.write(`  (for reference, not a target: mediated with FLink's sethi/jmpl/nop trampoline: ${ISAS.filter(isSparc)
    .map((isa) => `${isa} ${ratio(instructionRatio(cells, isa, 'mediated-paper', SUMMARY_N))}`).join(', ')})\n`);
  line('fail-safe pays its trap once (per call = immediate\'s exactly, one-time cost the same at every n, 1 trap)',
    (isa) => {
      const once = oneTimeCost(cells, isa);
      return `${once.perCall.toFixed(4)} vs ${once.immediatePerCall.toFixed(4)} +${once.instructions[0]} once ` +
        `${verdict(once.met)}`;
    });
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function switchCell(result: RelinkResult): string {
  if (!result.switchVerified) return `NO (${result.switchDetail})`;
  const perCore = result.switchDetail.split(', ').map((part) => part.replace(/^core \d+: /, ''));
  return perCore.every((part) => part === perCore[0]) ? `yes, each ${perCore[0]}` : `yes (${result.switchDetail})`;
}

export function printRelinks(results: readonly RelinkResult[]): void {
  process.stdout.write(`\nre-link on a running node of ${RELINK_CORES} cores: host us for linker.use('hook', ...) ` +
    `(patch plus dropping the stale translations on every core), hook.a <-> hook.b alternating, median of ${RELINKS}; ` +
    `${HOOK_SITES} call sites of hook in main; before each re-link every core swept all ${HOOK_SITES} sites ` +
    `(quantum ${RELINK_QUANTUM}); rewritten: bytes that changed, checked on the first switch; switch: calls per core ` +
    'counted by hook.a and hook.b in the round after the first switch (one round allowed for calls in flight)\n');
  const rows = results.map((result) => {
    const median_ = median(result.us);
    const rewritten = [
      ...(result.sitesRewritten > 0 ? [`${result.sitesRewritten}/${result.references} sites`] : []),
      ...(result.trampolineRewritten ? ['1 trampoline'] : []),
    ].join(' + ') || 'nothing';
    return [
      result.isa, result.binding, rewritten, us(median_), us(Math.min(...result.us)), us(percentile(result.us, 0.9)),
      `${result.ticketsDone}/${result.us.length}`, String(result.minSweepsBetween), switchCell(result),
      `${(LINUX_US.batched / median_).toFixed(0)}x`,
    ];
  });
  process.stdout.write(`${formatTable(
    ['isa', 'binding', 'rewritten', 'median us', 'min us', 'p90 us', 'tickets done', 'min sweeps between', 'switch',
      'Linux batched / median'], rows,
  )}\n`);
  process.stdout.write(`Linux: flipping a static key with ${HOOK_SITES} sites on 24 CPUs takes ` +
    `${LINUX_US.unbatched / 1000} ms unbatched, ${LINUX_US.batched / 1000} ms batched (text_poke with IPIs to every ` +
    `CPU); here a core drops translations in its own Unicorn engine at a quantum boundary, no IPI\n`);
}

export const geometricMean = (values: readonly number[]) =>
  Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);

/**
 * The C rows: per call, what each intensity adds to immediate in C beside what it adds in
 * assembly (the same linkage code, so the same figure), and the ratio to immediate.
 */
export function printCCalls(cells: readonly CCallCell[], asm: readonly CallCell[]): void {
  process.stdout.write(`\nThe same with main and foo in C (gcc -O2, linked from ELF objects), n=${C_CALLS}: loop ` +
    'instructions less the n=0 run; + per call: over immediate, in C and in the assembly rows above (the linkage ' +
    'code is the same, so they must agree); x imm: over immediate in C\n');
  const rows = cells.map((c) => {
    const immediate = cells.find((i) => i.isa === c.isa && i.intensity === 'immediate')!;
    const asmExtra = (cell(asm, c.isa, c.intensity, SUMMARY_N).instructions - cell(asm, c.isa, 'immediate', SUMMARY_N).instructions) / SUMMARY_N;
    return [
      c.isa, LABELS[c.intensity], group(c.instructions), String(c.traps), (c.instructions / C_CALLS).toFixed(2),
      ((c.instructions - immediate.instructions) / C_CALLS).toFixed(4), asmExtra.toFixed(4),
      ratio(c.instructions / immediate.instructions), us(c.us),
    ];
  });
  process.stdout.write(`${formatTable(
    ['isa', 'binding', 'instructions', 'traps', 'per call', '+ per call C', '+ per call asm', 'x imm', 'loop us'], rows,
  )}\n`);
}

/** C loop instructions over immediate's, for the summary. */
export function cInstructionRatio(cells: readonly CCallCell[], isa: IsaName, intensity: Intensity): number {
  const find = (wanted: Intensity) => cells.find((c) => c.isa === isa && c.intensity === wanted)!.instructions;
  return find(intensity) / find('immediate');
}
