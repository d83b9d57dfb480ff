// `flink` benchmark: FLink's Table 3 (n calls of foo(i) = i + 1 under the four binding
// intensities) on every ISA, in exact guest instructions and host time, and the host
// time of one re-link on a running 4-core node, beside Linux's static keys.
import { summaryLine } from '../format.js';
import { median } from '../stats.js';
import { measureCCalls, type CCallCell } from './c-calls.js';
import { measureCalls, type CallCell } from './calls.js';
import { ISAS, removeImages } from './guests.js';
import { measureRelinks, type RelinkBinding, type RelinkResult } from './relink.js';
import {
  cInstructionRatio, geometricMean, instructionRatio, plotCalls, printCallTargets, printCalls, printCCalls, printRelinks, SUMMARY_N,
} from './report.js';

export async function run(): Promise<void> {
  let cells: CallCell[];
  let cCells: CCallCell[];
  let relinks: RelinkResult[];
  try {
    cells = await measureCalls();
    printCalls(cells);
    plotCalls(cells);
    printCallTargets(cells);
    cCells = await measureCCalls();
    printCCalls(cCells, cells);
    relinks = await measureRelinks();
    printRelinks(relinks);
  } finally {
    removeImages();
  }

  const ratio = (column: 'mediated' | 'weak' | 'failsafe') =>
    geometricMean(ISAS.map((isa) => instructionRatio(cells, isa, column, SUMMARY_N))).toFixed(4);
  const cRatio = (intensity: 'mediated' | 'weak' | 'failsafe') =>
    geometricMean(ISAS.map((isa) => cInstructionRatio(cCells, isa, intensity))).toFixed(4);
  const relinkUs = (binding: RelinkBinding) =>
    geometricMean(relinks.filter((r) => r.binding === binding).map((r) => median(r.us))).toFixed(1);
  process.stdout.write(`\nsummary: ratios are loop instructions over immediate's at n=${SUMMARY_N} (mediated with the ` +
    `shortest trampoline; c_* the same for the C rows), re-link times medians in host us; each the geometric mean over ${ISAS.join(', ')}\n`);
  process.stdout.write(`${summaryLine('flink', {
    mediated: ratio('mediated'), weak: ratio('weak'), failsafe: ratio('failsafe'),
    c_mediated: cRatio('mediated'), c_weak: cRatio('weak'), c_failsafe: cRatio('failsafe'),
    'relink-immediate': `${relinkUs('immediate')}us`, 'relink-mediated': `${relinkUs('mediated')}us`,
  })}\n`);
}
