// `channels` benchmark: one-way latency and throughput of message channels within a node
// (URPC rings written by the guest library) and across nodes (the kernel's transport) on
// x86-32 and sparc32, beside Barrelfish's URPC and Mach's DIPC; then the multikernel
// argument, measured: a shared table updated through messages to an owner core or
// through DSM transactions, by 1 to 16 cores, and where messages overtake DSM.
import { summaryLine } from '../format.js';
import { GIGABIT, ISAS, LAN, removeImages } from './guests.js';
import { checkBlockingStream, measureOneWay, PLACEMENTS, type OneWayRow } from './oneway.js';
import { oneWayCycles, perKcycle, perVirtualSecond, printDeadlock, printOneWay, printTable } from './report.js';
import { crossover, measureTable, TABLE_PLACEMENTS, type TableRun } from './table.js';

const geometricMean = (values: readonly number[]) =>
  Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);

function summary(rows: readonly OneWayRow[], runs: readonly TableRun[]): string {
  const at = (index: number) => rows.filter((row) => row.placement === PLACEMENTS[index]);
  const mean = (index: number, value: (row: OneWayRow) => number) => geometricMean(at(index).map(value));
  const cross = (index: number) => crossover(runs, TABLE_PLACEMENTS[index]!) ?? 'none';
  return summaryLine('channels', {
    latency_cycles: mean(0, oneWayCycles).toFixed(1),
    latency_lan_ns: Math.round(mean(1, oneWayCycles)),
    latency_gigabit_ns: Math.round(mean(2, oneWayCycles)),
    msgs_per_kcycle: mean(0, perKcycle).toFixed(3),
    msgs_per_s_lan: Math.round(mean(1, perVirtualSecond)),
    msgs_per_s_gigabit: Math.round(mean(2, perVirtualSecond)),
    host_ns_per_msg: Math.round(mean(0, (row) => row.pingHostNsPerMessage)),
    host_ns_per_msg_lan: Math.round(mean(1, (row) => row.pingHostNsPerMessage)),
    crossover_n_lan: cross(0),
    crossover_n_gigabit: cross(1),
    crossover_n_node: cross(2),
  });
}

export async function run(): Promise<void> {
  let rows: OneWayRow[];
  let runs: TableRun[];
  try {
    rows = await measureOneWay();
    printOneWay(rows);
    printDeadlock(await checkBlockingStream());
    runs = await measureTable();
    printTable(runs);
  } finally {
    removeImages();
  }
  process.stdout.write(`\nsummary: latency one-way in virtual cycles/ns (round trip / 2), throughput of the stream; ` +
    `each the geometric mean over ${ISAS.join(', ')}; within a node, then across nodes over the ${LAN.label} and the ` +
    `${GIGABIT.label} link; host ns per message of the ping-pong; crossover: the smallest N from which messages beat DSM ` +
    `in updates per virtual second (nodes of 1 core over each link, then the cores of one node)\n`);
  process.stdout.write(`${summary(rows, runs)}\n`);
}
