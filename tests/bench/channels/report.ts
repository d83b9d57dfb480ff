// Tables of the channels benchmark, beside the papers' figures.
import { formatTable, lineChart } from '../../../emulator/reports/index.js';
import { writePlot } from '../plots.js';
import { ISAS, SLOTS, WINDOW, type BenchIsa, type Placement, type TablePlacement } from './guests.js';
import {
  HOST_REPEATS, PLACEMENTS, placementLabel, POLL_FRACTION, ROUNDS, STREAM_MESSAGES, WARM_ROUNDS, type OneWayRow,
} from './oneway.js';
import { HOST_QUANTUM, VIRTUAL_QUANTUM } from './run-image.js';
import {
  crossover, OWNER_POLL_FRACTION, TABLE_PLACEMENTS, tablePlacementLabel, tableRun, UPDATERS, UPDATES_PER_CORE, updatesPerSecond,
  type TableRun,
} from './table.js';

/** Barrelfish (SOSP'09, Table 2): URPC, one cache-line message between two cores. */
const URPC_LATENCY_CYCLES = { low: 180, high: 618 };
const URPC_MSGS_PER_KCYCLE = { low: 2.75, high: 11.97 };
/** Mach DIPC: a null RPC, locally. */
const DIPC_NULL_RPC_US = { low: 115, high: 318 };

const group = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number) => value.toFixed(digits);
/** Up to 4 significant digits, without exponent. */
const sig = (value: number) => (value >= 1000 ? group(value) : Number(value.toPrecision(4)).toString());
const rightOf = (count: number, from = 1) => new Set(Array.from({ length: count - from }, (_, i) => i + from));

export const oneWayCycles = (row: OneWayRow) => row.roundTripNs / 2;
export const perKcycle = (row: OneWayRow) => row.streamPerNs * 1000;
export const perVirtualSecond = (row: OneWayRow) => row.streamPerNs * 1e9;
/** The kernel's send-to-read mean, averaged over both directions (a constant skew between two clocks cancels). */
const kernelOneWayNs = (row: OneWayRow) =>
  row.pingChannels.reduce((sum, c) => sum + c.meanLatencyNs, 0) / row.pingChannels.length;

function rowFor(rows: readonly OneWayRow[], isa: BenchIsa, placement: Placement): OneWayRow {
  const row = rows.find((r) => r.isa === isa && r.placement === placement);
  if (!row) throw new Error(`no row ${isa} ${placementLabel(placement)}`);
  return row;
}

export function printOneWay(rows: readonly OneWayRow[]): void {
  process.stdout.write('One-way latency and throughput of a channel, clock 1 GHz (1 ns = 1 cycle); within a node ' +
    `the guest library's URPC ring (${SLOTS} slots of 64 bytes, no trap), across nodes the kernel's transport ` +
    `(SYS_CHAN_SEND, window ${WINDOW}, 64 bytes on the wire per message)\n` +
    `latency: a null RPC (ping sends, pong echoes), ${ROUNDS} timed rounds after ${WARM_ROUNDS}; one-way = round trip / 2; ` +
    'kernel: the kernel\'s own mean from the sender\'s publishing write (within a node: the slot\'s sequence word; ' +
    'across: the trap) to the receiver\'s tail write, both directions averaged\n' +
    `throughput: a producer streams K messages (${STREAM_MESSAGES.node} within a node, ${STREAM_MESSAGES.nodes} across), ` +
    'the consumer drains them; timed by the consumer from its first message to its last\n' +
    `virtual figures: runs at quantum ${VIRTUAL_QUANTUM} (exact clocks; the two cores of a node take turns a basic ` +
    'block each, the smallest quantum the engine counts, plus the 100 cycles a trap charges); within a ' +
    'node both ends spin on chan_send/chan_recv, across nodes they block (chan_*_wait); across nodes the stream\'s ' +
    `consumer polls chan_recv and sleeps latency/${Math.round(1 / POLL_FRACTION)} after ` +
    'an empty poll, so that its clock follows the stream (the check below the table runs both ends blocking)\n' +
    `host figures: runs at quantum ${HOST_QUANTUM} with the blocking forms (within a node a wait yields), ` +
    `cluster.run alone, best of ${HOST_REPEATS}; ns per message of the ping-pong and messages per host second of the stream\n`);
  const body = PLACEMENTS.flatMap((placement) => ISAS.map((isa) => {
    const row = rowFor(rows, isa, placement);
    return [
      isa, placement.kind === 'node' ? 'within a node' : placementLabel(placement).replace('across nodes, ', 'nodes, '),
      sig(row.roundTripNs), sig(oneWayCycles(row)), sig(kernelOneWayNs(row)),
      perKcycle(row) >= 0.1 ? fixed(perKcycle(row), 3) : perKcycle(row).toExponential(3),
      group(perVirtualSecond(row)),
      group(row.pingHostNsPerMessage), group(1e9 / row.streamHostNsPerMessage),
    ];
  }));
  const header = ['isa', 'path', 'round trip cyc', 'one-way cyc', 'kernel one-way ns', 'msgs/kcycle', 'msgs/virtual s',
    'host ns/msg', 'host msgs/s'];
  process.stdout.write(`${formatTable(header, body, rightOf(header.length, 2))}\n`);

  const within = (isa: BenchIsa) => rowFor(rows, isa, PLACEMENTS[0]!);
  process.stdout.write(`Barrelfish URPC (SOSP'09): ${URPC_LATENCY_CYCLES.low} to ${URPC_LATENCY_CYCLES.high} cycles per ` +
    `cache-line message, ${URPC_MSGS_PER_KCYCLE.low} to ${URPC_MSGS_PER_KCYCLE.high} messages per thousand cycles; ` +
    `here within a node: ${ISAS.map((isa) => `${isa} ${sig(oneWayCycles(within(isa)))} cycles, ` +
      `${fixed(perKcycle(within(isa)), 2)} msgs/kcycle`).join('; ')} (no cache model: every instruction is one cycle, ` +
    'a cache-line transfer costs nothing)\n');
  const rtt = (placement: Placement) => ISAS.map((isa) => `${isa} ${sig(rowFor(rows, isa, placement).roundTripNs / 1000)}`)
    .join(', ');
  process.stdout.write(`Mach DIPC null RPC: ${DIPC_NULL_RPC_US.low}-${DIPC_NULL_RPC_US.high} us locally; here a null RPC ` +
    `(round trip, us): ${PLACEMENTS.map((p) => `${p.kind === 'node' ? 'within a node' : p.link.label}: ${rtt(p)}`)
      .join('; ')}\n`);
  process.stdout.write(`within a node at quantum ${HOST_QUANTUM} with the blocking forms, ping times a round trip at ` +
    `${ISAS.map((isa) => `${isa} ${sig(within(isa).roundTripNsAtHostQuantum)}`).join(', ')} cycles (exact: ` +
    `${ISAS.map((isa) => `${isa} ${sig(within(isa).roundTripNs)}`).join(', ')}): a wait yields and a yield leaves the ` +
    'waiting core\'s clock where it was, so pong\'s share of the round trip is missing\n');
}

/** Outcome of the deadlock check: the cores still asleep when the cluster stopped. */
export interface DeadlockCheck {
  readonly isa: BenchIsa;
  readonly messages: number;
  readonly received: number;
  readonly asleep: readonly string[];
}

export function printDeadlock(check: DeadlockCheck): void {
  process.stdout.write(check.asleep.length === 0
    ? `check: producer and consumer both blocking (chan_send_wait, chan_recv_wait) across nodes, ${check.messages} ` +
      `messages: completed (${check.isa})\n`
    : `check: producer and consumer both blocking (chan_send_wait, chan_recv_wait) across nodes, ${check.messages} ` +
      `messages: DEADLOCK after ${check.received} read, ${check.asleep.join(' and ')} asleep for good (${check.isa})\n`);
}

export function printTable(runs: readonly TableRun[]): void {
  process.stdout.write(`\nShared table of 16 counters, N updater cores x ${UPDATES_PER_CORE} updates each, x86-32, ` +
    `quantum ${VIRTUAL_QUANTUM}; update i of updater c adds 1 to counter (c+i) mod 16; every run checks the final table\n` +
    'messages: each updater sends its updates on its own channel (16 slots, window 8) to an owner core, one more ' +
    'core, which passes over all channels draining each and applies the updates; across nodes the updaters block on a ' +
    `full window and the owner sleeps latency/${Math.round(1 / OWNER_POLL_FRACTION)} after an empty pass (it cannot block: ` +
    'see the check above), within a node both spin\n' +
    'DSM ("dsm": {}, broadcast, 4 KiB pages: the table is one page): each update is tx_begin, load, add 1, store, ' +
    'tx_commit (images/lib/tx-x86-32.s), no owner\n' +
    'placement: nodes of 1 core each (owner node 0, updaters nodes 1..N; DSM nodes 0..N-1) over the link, or the cores ' +
    'of one node (owner core 0, updaters cores 1..N; DSM cores 0..N-1)\n' +
    'virtual ms: until the last core exits; updates/s: N x U per virtual second; restarts: DSM transactions aborted ' +
    'and run again; msgs latency: the kernel\'s mean from an update\'s send to its read by the owner; host ms: ' +
    'cluster.run alone\n');
  for (const placement of TABLE_PLACEMENTS) {
    const of = (method: TableRun['method'], n: number) => tableRun(runs, placement, method, n);
    const body = UPDATERS.map((n) => {
      const messages = of('messages', n);
      const dsm = of('dsm', n);
      const ratio = updatesPerSecond(messages) / updatesPerSecond(dsm);
      return [
        String(n), sig(messages.virtualNs / 1e6), group(updatesPerSecond(messages)), sig(messages.meanLatencyNs),
        sig(dsm.virtualNs / 1e6), group(updatesPerSecond(dsm)), String(dsm.aborts),
        `${ratio >= 1 ? 'messages' : 'DSM'} ${sig(ratio >= 1 ? ratio : 1 / ratio)}x`,
        sig(messages.hostMs), sig(dsm.hostMs),
      ];
    });
    process.stdout.write(`\n${tablePlacementLabel(placement)}\n`);
    const header = ['N', 'msgs virtual ms', 'msgs updates/s', 'msgs latency ns', 'DSM virtual ms', 'DSM updates/s', 'DSM restarts',
      'faster', 'msgs host ms', 'DSM host ms'];
    process.stdout.write(`${formatTable(header, body, new Set([0, 1, 2, 3, 4, 5, 6, 8, 9]))}\n`);
    process.stdout.write(`crossover: ${crossoverText(runs, placement)}\n`);
    writePlot('channels', `table-${TABLE_PLACEMENTS.indexOf(placement) + 1}`, lineChart(
      { title: `Shared table: messages against DSM, ${tablePlacementLabel(placement)}`, xLabel: 'updater cores N', yLabel: 'updates per virtual second' },
      (['messages', 'dsm'] as const).map((method) => ({
        name: method === 'dsm' ? 'DSM transactions' : 'messages to an owner',
        points: UPDATERS.map((n): [number, number] => [n, updatesPerSecond(of(method, n))]),
      }))));
  }
  writePlot('channels', 'latency', lineChart(
    { title: 'Shared table: an update message\'s latency against N', xLabel: 'updater cores N', yLabel: 'mean send-to-read latency (virtual ns, log scale)' },
    TABLE_PLACEMENTS.map((placement) => ({
      name: tablePlacementLabel(placement),
      points: UPDATERS.map((n): [number, number] => [n, tableRun(runs, placement, 'messages', n).meanLatencyNs]),
    })), { log: true }));
}

function crossoverText(runs: readonly TableRun[], placement: TablePlacement): string {
  const n = crossover(runs, placement);
  const ahead = UPDATERS.filter((u) => {
    const rate = (method: TableRun['method']) => updatesPerSecond(tableRun(runs, placement, method, u));
    return rate('messages') > rate('dsm');
  });
  const where = `messages ahead at N=${ahead.join(',') || 'none'}`;
  if (n === undefined) return `none in N=${UPDATERS.join(',')} (DSM ahead at N=${UPDATERS[UPDATERS.length - 1]}; ${where})`;
  if (n === UPDATERS[0]) return `none: messages beat DSM at every N from ${n} (${where})`;
  return `N=${n}: messages beat DSM from N=${n} on (${where})`;
}
