import { writeFileSync } from 'node:fs';
import type { Args, CounterSample, Place, Timeline } from './timeline.js';
import { EVENT_TYPE, SEQ_INCREMENTAL_STATE_CLEARED, traceType } from './trace-schema.js';

// Lays a Timeline out as Perfetto TrackEvents in virtual nanoseconds: a process per
// node, a thread track per core with its states and instants, beside it the core's
// transactions and tasks, the node kernel's own track and its re-link rows, counter
// tracks, and flows from each message's sender to its receiver. One packet sequence,
// its events in time order; a track's descriptor is written only when it is used.

const SEQUENCE = 1;
const NODE_UUID = 1;
const GLOBAL_UUID = { 'global time': 10, 'messages in flight': 11, checkpoints: 12 } as const;
const CORE_UUID = 1_000_000;
const CORE_LANE_UUID = 2_000_000;
const KERNEL_UUID = 3_000_000;
const PAGES_HELD_UUID = 4_000_000;
const RE_LINK_UUID = 5_000_000;
const RE_LINK_ROWS = 1000;

type Packet = Record<string, unknown>;

function annotations(args: Args): Packet[] {
  return Object.entries(args).map(([name, value]) => (typeof value === 'number' ? { name, intValue: value } : { name, stringValue: value }));
}

/** The tracks a timeline uses, each with its descriptor, created on first use. */
class Tracks {
  readonly descriptors: Packet[];

  private readonly used = new Set<number>();

  constructor(private readonly timeline: Timeline) {
    this.descriptors = [
      ...timeline.nodes.map((node) => ({
        uuid: NODE_UUID + node.node, process: { pid: node.node + 1, processName: `node ${node.node} (${node.isa})` },
      })),
      ...timeline.cores.map((core, index) => ({
        uuid: CORE_UUID + index, parentUuid: NODE_UUID + core.node,
        thread: { pid: core.node + 1, tid: index + 1, threadName: this.coreName(index) },
      })),
    ];
  }

  private coreName(index: number): string {
    const core = this.timeline.cores[index]!;
    return `n${core.node}.c${core.core}`;
  }

  private use(uuid: number, descriptor: () => Packet): number {
    if (!this.used.has(uuid)) {
      this.used.add(uuid);
      this.descriptors.push({ uuid, ...descriptor() });
    }
    return uuid;
  }

  of(place: Place): number {
    if ('core' in place) {
      if (place.lane === 'state') return CORE_UUID + place.core;
      const node = this.timeline.cores[place.core]!.node;
      return this.use(CORE_LANE_UUID + place.core * 2 + (place.lane === 'tasks' ? 1 : 0),
        () => ({ parentUuid: NODE_UUID + node, name: `${this.coreName(place.core)} ${place.lane}` }));
    }
    if (place.lane === 'kernel') return this.use(KERNEL_UUID + place.node, () => ({ parentUuid: NODE_UUID + place.node, name: `node ${place.node} kernel` }));
    if (place.lane === 're-links') {
      return this.use(RE_LINK_UUID + place.node * RE_LINK_ROWS + place.row,
        () => ({ parentUuid: NODE_UUID + place.node, name: place.row === 0 ? 're-links' : `re-links (${place.row + 1})` }));
    }
    return this.use(GLOBAL_UUID.checkpoints, () => ({ name: 'checkpoints' }));
  }

  counter(sample: CounterSample): number {
    if (sample.counter !== 'pages held') return this.use(GLOBAL_UUID[sample.counter], () => ({ name: sample.counter, counter: { unit: 2 } }));
    const node = sample.node!;
    return this.use(PAGES_HELD_UUID + node, () => ({ parentUuid: NODE_UUID + node, name: `node ${node} pages held`, counter: { unit: 2 } }));
  }
}

interface Timed {
  readonly atNs: number;
  /** At one time: ends of slices begun earlier (deepest first), then begins (outermost first), then ends of slices of no length. */
  readonly order: number;
  readonly event: Packet;
}

function slice(track: number, name: string, category: string, startNs: number, endNs: number, depth: number, args: Args = {}): Timed[] {
  const annotated = Object.keys(args).length > 0 ? { debugAnnotations: annotations(args) } : {};
  return [
    { atNs: startNs, order: 10 + depth, event: { type: EVENT_TYPE.sliceBegin, trackUuid: track, name, categories: [category], ...annotated } },
    { atNs: endNs, order: endNs > startNs ? 9 - depth : 29 - depth, event: { type: EVENT_TYPE.sliceEnd, trackUuid: track } },
  ];
}

function tracePackets(timeline: Timeline): Packet[] {
  const tracks = new Tracks(timeline);
  const events: Timed[] = [];
  for (const state of timeline.slices) events.push(...slice(tracks.of({ core: state.core, lane: 'state' }), state.state, 'state', state.startNs, state.endNs, 0));
  for (const span of timeline.spans) events.push(...slice(tracks.of(span.place), span.name, span.category, span.startNs, span.endNs, span.depth, span.args));
  for (const instant of timeline.instants) {
    events.push({
      atNs: instant.atNs, order: 20, event: {
        type: EVENT_TYPE.instant, trackUuid: tracks.of(instant.place), name: instant.name, categories: [instant.category],
        debugAnnotations: annotations(instant.args),
        ...(instant.flowsOut !== undefined ? { flowIds: instant.flowsOut } : {}),
        ...(instant.flowIn !== undefined ? { terminatingFlowIds: [instant.flowIn] } : {}),
      },
    });
  }
  for (const sample of timeline.counters) {
    events.push({ atNs: sample.atNs, order: 30, event: { type: EVENT_TYPE.counter, trackUuid: tracks.counter(sample), counterValue: sample.value } });
  }
  events.sort((a, b) => a.atNs - b.atNs || a.order - b.order);
  return [
    ...tracks.descriptors.map((trackDescriptor, i) => ({
      trackDescriptor, timestamp: 0, trustedPacketSequenceId: SEQUENCE, ...(i === 0 ? { sequenceFlags: SEQ_INCREMENTAL_STATE_CLEARED } : {}),
    })),
    ...events.map(({ atNs, event }) => ({ timestamp: Math.round(atNs), trustedPacketSequenceId: SEQUENCE, trackEvent: event })),
  ];
}

/** Writes the trace file (Perfetto's protobuf Trace) for `timeline`. */
export function writePerfettoTrace(path: string, timeline: Timeline): void {
  const type = traceType();
  writeFileSync(path, type.encode(type.fromObject({ packet: tracePackets(timeline) })).finish());
}
