// Tables of the checkpoint benchmark, with Plurix's figures beside ours. Figures are
// printed, never asserted: wall-clock times depend on the host.
import { formatTable } from '../format.js';
import { changedPages, PAGES_PER_MIB, totalMib, layoutName, type Layout } from './guests.js';
import { PLURIX_MBPS } from './layouts.js';
import type { LayoutRow } from './measure.js';
import { restoreMs, type Restored } from './restore.js';
import {
  DEBUG_QUANTUM, FORWARD_STEPS, REVERSE_STEPS, RUN_INTO_MARKS, type ReverseRow,
} from './reverse.js';
import { CHECKPOINT_REPEATS, QUANTUM, totalMs, type Written } from './take.js';

const MB = 1e6;
const fixed = (value: number, digits: number) => value.toFixed(digits);
const group = (value: number) => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number) => fixed(bytes / MB, bytes < 10 * MB ? 2 : 1);
const kb = (bytes: number) => group(bytes / 1000);
const ms = (value: number) => fixed(value, value < 100 ? 1 : 0);

/** MB (10^6 bytes) per second of `bytes` handled in `milliseconds`. */
export const mbps = (bytes: number, milliseconds: number): number => bytes / MB / (milliseconds / 1000);
export const dataBytes = (layout: Layout): number => totalMib(layout) * 0x10_0000;
/** The state throughput of a whole checkpoint: the summary's `mbps`. */
export const stateMbps = (written: Written): number => mbps(written.stateBytes, totalMs(written));

export function printCheckpoints(rows: readonly LayoutRow[]): void {
  process.stdout.write(`1. Whole checkpoints of Plurix's measurement table: each node (1 x86-32 core) writes its MiB of ` +
    'DSM pages, one word per page (the dense row: every word, an LCG stream), in transactions of 256 pages, and ' +
    'sleeps; the region is the data exactly (dsm.sizeMiB = the row\'s total). During the sleep, with every word ' +
    'checked committed, the snapshot is taken (takeSnapshot: every node\'s RAM, each core\'s DSM copy and page ' +
    'table, the nodes\' page copies, registers, kernel) and written (writeSnapshot: JSON, deflate level 1, SHA-256, ' +
    `fsync, rename). state MB: the snapshot in memory (its byte arrays; MB = 10^6 bytes); file MB: the file; guest s: ` +
    `host time of the guests writing and committing the data (quantum ${QUANTUM}); take, write: the fastest of ` +
    `${CHECKPOINT_REPEATS} checkpoints at that point; state MB/s = state / (take + write); ` +
    'data MB/s = the DSM data / (take + write)\n');
  process.stdout.write(`${formatTable(
    ['layout', 'data MiB', 'state MB', 'file MB', 'guest s', 'take ms', 'write ms', 'total ms', 'state MB/s', 'data MB/s',
      `/ Plurix ${fixed(PLURIX_MBPS.low, 1)}-${fixed(PLURIX_MBPS.high, 1)}`],
    rows.map((row) => {
      const state = stateMbps(row.full);
      return [
        layoutName(row.layout), String(totalMib(row.layout)), mb(row.full.stateBytes), mb(row.full.fileBytes),
        fixed(row.phase1Ms / 1000, 1), ms(row.full.takeMs), ms(row.full.writeMs), ms(totalMs(row.full)), fixed(state, 0),
        fixed(mbps(dataBytes(row.layout), totalMs(row.full)), 0),
        `${fixed(state / PLURIX_MBPS.high, 1)}-${fixed(state / PLURIX_MBPS.low, 1)}x`,
      ];
    }),
  )}\n`);
  process.stdout.write(`Plurix's PageServer: ${fixed(PLURIX_MBPS.low, 1)}-${fixed(PLURIX_MBPS.high, 1)} MB/s over the same table (heap pages over ` +
    'the network to a disk). The state holds each page twice, in the writing core\'s copy and its node\'s page copy; ' +
    'one word per page deflates to almost nothing, so the file is small and the time is copying, walking and ' +
    'deflating the state: the dense row is the incompressible case\n');
}

export function printRestores(rows: readonly LayoutRow[]): void {
  process.stdout.write('\n2. Restoring the whole checkpoint onto a cluster freshly booted from the same image: boot ms ' +
    '(building engines, mappings, links: not part of the restore), read ms (loadSnapshotFile: read, SHA-256, ' +
    'inflate, decode), load ms (restoreSnapshot: image fingerprint, every part\'s state put back); then every word ' +
    'is checked on the restored cluster, which runs on to the end (phase 2 and a clean exit on every node)\n');
  process.stdout.write(`${formatTable(
    ['layout', 'state MB', 'boot ms', 'read ms', 'load ms', 'restore ms', 'state MB/s', 'restore / checkpoint'],
    rows.map((row) => [
      layoutName(row.layout), mb(row.full.stateBytes), ms(row.restored.bootMs), ms(row.restored.readMs),
      ms(row.restored.loadMs), ms(restoreMs(row.restored)), fixed(mbps(row.full.stateBytes, restoreMs(row.restored)), 0),
      `${fixed(restoreMs(row.restored) / totalMs(row.full), 2)}x`,
    ]),
  )}\n`);
}

const restoredCell = (restored: Restored | undefined) => (restored ? ms(restoreMs(restored)) : '-');

export function printIncremental(rows: readonly LayoutRow[]): void {
  process.stdout.write('\n3. Incremental checkpoint after one commit per node that rewrote every 100th page of its data ' +
    '(1% of the DSM\'s pages): takeSnapshot, diffState against the whole checkpoint (the 4 KiB pages of each large ' +
    `byte array that differ), writeSnapshot, the fastest of ${CHECKPOINT_REPEATS}; beside the whole checkpoint. ` +
    'restore ms: loadSnapshotFile of the incremental file (it reads its base, the whole one, and applies the ' +
    'changes) plus restoreSnapshot, measured on the largest layout of each node count\n');
  process.stdout.write(`${formatTable(
    ['layout', 'pages changed', 'of pages', 'full file KB', 'incr file KB', 'file ratio', 'incr state MB', 'full ms',
      'take ms', 'diff ms', 'write ms', 'incr ms', 'time ratio', 'full restore ms', 'incr restore ms'],
    rows.map((row) => {
      const changed = row.layout.mib.reduce((sum, _, node) => sum + changedPages(row.layout, node), 0);
      const pages = totalMib(row.layout) * PAGES_PER_MIB;
      const incremental = row.incremental;
      return [
        layoutName(row.layout), group(changed), `${fixed((100 * changed) / pages, 2)}%`, kb(row.full.fileBytes),
        kb(incremental.fileBytes), `${fixed(incremental.fileBytes / row.full.fileBytes, 3)}`, mb(incremental.stateBytes),
        ms(totalMs(row.full)), ms(incremental.takeMs), ms(incremental.diffMs), ms(incremental.writeMs),
        ms(totalMs(incremental)), `${fixed(totalMs(incremental) / totalMs(row.full), 2)}x`, ms(restoreMs(row.restored)),
        restoredCell(row.restoredIncremental),
      ];
    }),
  )}\n`);
  process.stdout.write('The incremental file is small, but taking it is not: the whole state is still saved (copied) and ' +
    'compared page by page with the one before, so its time follows the state\'s size, not the change\'s\n');
}

export function printReverse(rows: readonly ReverseRow[]): void {
  const cores = rows[0]?.cores ?? 0;
  process.stdout.write(`\n4. reverse-stepi 1 on ${cores} cores (16 x86-32 nodes x 4 cores; each core loops 10,000 ` +
    'instructions, then increments a counter on its own DSM page in a transaction), in a DebugSession at quantum ' +
    `${DEBUG_QUANTUM} (clustervm debug's), run ${RUN_INTO_MARKS} x historyEvery cluster instructions in (so the latest ` +
    `snapshot the session kept is about half a spacing back); then ${FORWARD_STEPS} forward stepInOrder(core, 1) of ` +
    `n7.c2 (each after the core can run: a core waiting on the token cannot step) and ${REVERSE_STEPS} reverseStep(core, ` +
    '1), each checked to go back exactly one instruction. A stepi is usually one instruction; when the core\'s turn ' +
    'ends the other cores run their quanta first, and a snapshot falls due then (the mean shows both). A reverse-stepi ' +
    'loads the latest snapshot and re-runs the whole cluster to the target\n');
  process.stdout.write(`${formatTable(
    ['historyEvery', 'cores', 'at instructions', 'run ms', 'stepi median us', 'stepi mean us', 'reverse-stepi median ms',
      'reverse-stepi max ms', 'reverse / stepi (medians)'],
    rows.map((row) => [
      group(row.historyEvery), String(row.cores), group(row.at), ms(row.runMs), fixed(row.forwardMedianUs, 1),
      fixed(row.forwardMeanUs, 1), ms(row.reverseMedianMs), ms(row.reverseMaxMs),
      `${group((row.reverseMedianMs * 1000) / row.forwardMedianUs)}x`,
    ]),
  )}\n`);
}
