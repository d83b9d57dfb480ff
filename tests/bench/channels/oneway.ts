// One-way latency and throughput of a channel, within a node (the guest library's URPC
// ring in node RAM, no trap) and across nodes (SYS_CHAN_SEND, the kernel's transport).
//   latency: a null RPC, ping sends a message and pong echoes it; one-way = round trip / 2.
//   throughput: a producer streams K messages, the consumer drains them.
// Virtual figures come from runs at VIRTUAL_QUANTUM (exact clocks, cores of a node in lock
// step) with the ends spinning on chan_send/chan_recv within a node (a wait would yield,
// and a yield ends the quantum without moving the clock, see report) and blocking
// (chan_*_wait) across nodes, where the core sleeps until the message or ack arrives.
// Host figures come from runs at HOST_QUANTUM with the blocking forms everywhere, the
// way a program would use the library; best of HOST_REPEATS.
import type { Cluster } from '../../../emulator/index.js';
import { runImage as runKitImage } from '../../support/index.js';
import {
  GIGABIT, ISAS, LAN, writePingPongImage, writeStreamImage, TIME_T0, TIME_T1, type BenchIsa, type Mode, type Placement,
} from './guests.js';
import { checkResult, HOST_QUANTUM, runImage, userTime, VIRTUAL_QUANTUM } from './run-image.js';

export const WARM_ROUNDS = 10;
export const ROUNDS = 200;
/** Messages streamed within a node and across nodes (a window of WINDOW per round trip there). */
export const STREAM_MESSAGES = { node: 2000, nodes: 500 } as const;
/** Across nodes the consumer polls, sleeping this fraction of the link latency after an empty poll. */
export const POLL_FRACTION = 1 / 25;
export const HOST_REPEATS = 5;
export const PLACEMENTS: readonly Placement[] = [{ kind: 'node' }, { kind: 'nodes', link: LAN }, { kind: 'nodes', link: GIGABIT }];

export const placementLabel = (placement: Placement) =>
  (placement.kind === 'node' ? 'within a node (ring)' : `across nodes, ${placement.link.label}`);

interface ChannelCounters {
  readonly sent: number;
  readonly received: number;
  readonly stalls: number;
  readonly meanLatencyNs: number;
  readonly maxLatencyNs: number;
}

export interface OneWayRow {
  readonly isa: BenchIsa;
  readonly placement: Placement;
  /** Virtual ns (= cycles at 1 GHz) of one round trip, timed by ping over ROUNDS rounds. */
  readonly roundTripNs: number;
  /** The kernel's per-channel counters of the ping-pong (ping -> pong, pong -> ping). */
  readonly pingChannels: readonly ChannelCounters[];
  /** Messages per virtual ns, consumer's first to last message. */
  readonly streamPerNs: number;
  readonly streamChannel: ChannelCounters;
  /** Host ns per message of the ping-pong (2 messages a round) and of the stream. */
  readonly pingHostNsPerMessage: number;
  readonly streamHostNsPerMessage: number;
  /** What ping measures for a round trip when the run uses HOST_QUANTUM (the clocks lag within a quantum). */
  readonly roundTripNsAtHostQuantum: number;
}

function counters(cluster: Cluster): ChannelCounters[] {
  return cluster.kernel.channels!.report().map(({ stats }) => ({
    sent: stats.sentMessages, received: stats.receivedMessages, stalls: stats.stalls,
    meanLatencyNs: stats.meanLatencyNs, maxLatencyNs: stats.maxLatencyNs,
  }));
}

const sum = (n: number) => (BigInt(n) * BigInt(n + 1)) / 2n;
const what = (isa: BenchIsa, placement: Placement, test: string, quantum: number) =>
  `${isa} ${placementLabel(placement)} ${test} (quantum ${quantum})`;

async function pingPong(isa: BenchIsa, placement: Placement, mode: Mode, quantum: number) {
  const name = what(isa, placement, 'ping-pong', quantum);
  const image = writePingPongImage(isa, placement, WARM_ROUNDS, ROUNDS, mode);
  const run = await runImage(name, image, quantum, (cluster) => ({
    ns: userTime(cluster, 0, TIME_T1) - userTime(cluster, 0, TIME_T0),
    channels: counters(cluster),
  }));
  checkResult(name, run.cores[0], sum(WARM_ROUNDS + ROUNDS));
  return { roundTripNs: run.inspected.ns / ROUNDS, channels: run.inspected.channels, hostMs: run.hostMs };
}

/** Across nodes the stream's consumer polls with a sleep; the blocking check runs both ends blocked. */
const consumerMode = (placement: Placement, mode: Mode): Mode =>
  (placement.kind === 'node' ? mode : { sleepNs: Math.round(placement.link.latencyNs * POLL_FRACTION) });

async function stream(isa: BenchIsa, placement: Placement, mode: Mode, quantum: number) {
  const name = what(isa, placement, 'stream', quantum);
  const messages = STREAM_MESSAGES[placement.kind];
  const image = writeStreamImage(isa, placement, messages, mode, consumerMode(placement, mode));
  const consumerNode = placement.kind === 'node' ? 0 : 1;
  const run = await runImage(name, image, quantum, (cluster) => ({
    ns: userTime(cluster, consumerNode, TIME_T1) - userTime(cluster, consumerNode, TIME_T0),
    channels: counters(cluster),
  }));
  checkResult(name, run.cores[1], sum(messages));
  return { perNs: (messages - 1) / run.inspected.ns, channel: run.inspected.channels[0]!, hostMs: run.hostMs };
}

async function measureRow(isa: BenchIsa, placement: Placement): Promise<OneWayRow> {
  const virtualMode: Mode = placement.kind === 'node' ? 'spin' : 'wait';
  const ping = await pingPong(isa, placement, virtualMode, VIRTUAL_QUANTUM);
  const flow = await stream(isa, placement, virtualMode, VIRTUAL_QUANTUM);
  let pingHostMs = Infinity;
  let streamHostMs = Infinity;
  let roundTripNsAtHostQuantum = 0;
  for (let repeat = 0; repeat < HOST_REPEATS; repeat++) {
    const hostPing = await pingPong(isa, placement, 'wait', HOST_QUANTUM);
    roundTripNsAtHostQuantum = hostPing.roundTripNs;
    pingHostMs = Math.min(pingHostMs, hostPing.hostMs);
    streamHostMs = Math.min(streamHostMs, (await stream(isa, placement, 'wait', HOST_QUANTUM)).hostMs);
  }
  return {
    isa, placement,
    roundTripNs: ping.roundTripNs, pingChannels: ping.channels,
    streamPerNs: flow.perNs, streamChannel: flow.channel,
    pingHostNsPerMessage: (pingHostMs * 1e6) / (2 * (WARM_ROUNDS + ROUNDS)),
    streamHostNsPerMessage: (streamHostMs * 1e6) / STREAM_MESSAGES[placement.kind],
    roundTripNsAtHostQuantum,
  };
}

export async function measureOneWay(): Promise<OneWayRow[]> {
  const rows: OneWayRow[] = [];
  for (const placement of PLACEMENTS) {
    for (const isa of ISAS) rows.push(await measureRow(isa, placement));
  }
  return rows;
}

/** Messages of the deadlock check. */
const DEADLOCK_MESSAGES = 100;

/**
 * Both ends of a stream across nodes in the library's blocking forms: the producer waits
 * on a full window while the consumer waits on an empty ring of the same channel.
 */
export async function checkBlockingStream(isa: BenchIsa = 'x86-32') {
  const image = writeStreamImage(isa, { kind: 'nodes', link: GIGABIT }, DEADLOCK_MESSAGES, 'wait', 'wait');
  const run = await runKitImage(image, {
    quantum: HOST_QUANTUM,
    inspect: (cluster) => cluster.kernel.channels!.report()[0]!.stats.receivedMessages,
  });
  return {
    isa, messages: DEADLOCK_MESSAGES,
    received: run.inspected,
    asleep: run.cores.filter((core) => core.status === 'sleeping').map((core) => `n${core.node}.c${core.core}`),
  };
}
