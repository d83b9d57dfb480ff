import { writeFileSync } from 'node:fs';
import type { Timeline } from './run-timeline.js';
import { EVENT_TYPE, SEQ_INCREMENTAL_STATE_CLEARED, traceType } from './trace-schema.js';

// Lays a Timeline out as Perfetto TrackEvents in virtual nanoseconds: a process per
// node, a thread track per core with its state slices and instants, flows from each
// message's send to its receipt, and counter tracks. One packet sequence, its events in
// time order (a slice's end before a begin at the same time).

const SEQUENCE = 1;
const NODE_UUID = 1;
const CORE_UUID = 1_000_000;
const COUNTER_UUID = { 'global time': 10, 'messages in flight': 11 } as const;

type Packet = Record<string, unknown>;

function annotations(args: Readonly<Record<string, number | string>>): Packet[] {
  return Object.entries(args).map(([name, value]) => (typeof value === 'number' ? { name, intValue: value } : { name, stringValue: value }));
}

function tracePackets(timeline: Timeline): Packet[] {
  const descriptors: Packet[] = [
    ...timeline.nodes.map((node) => ({
      trackDescriptor: { uuid: NODE_UUID + node.node, process: { pid: node.node + 1, processName: `node ${node.node} (${node.isa})` } },
    })),
    ...timeline.cores.map((core, index) => ({
      trackDescriptor: {
        uuid: CORE_UUID + index, parentUuid: NODE_UUID + core.node,
        thread: { pid: core.node + 1, tid: index + 1, threadName: `n${core.node}.c${core.core}` },
      },
    })),
    ...Object.entries(COUNTER_UUID).map(([name, uuid]) => ({ trackDescriptor: { uuid, name, counter: { unit: 2 } } })),
  ];
  const events: { atNs: number; order: number; event: Packet }[] = [];
  for (const slice of timeline.slices) {
    const track = CORE_UUID + slice.core;
    events.push({ atNs: slice.startNs, order: 1, event: { type: EVENT_TYPE.sliceBegin, trackUuid: track, name: slice.state, categories: ['state'] } });
    events.push({ atNs: slice.endNs, order: 0, event: { type: EVENT_TYPE.sliceEnd, trackUuid: track } });
  }
  for (const instant of timeline.instants) {
    events.push({
      atNs: instant.atNs, order: 2, event: {
        type: EVENT_TYPE.instant, trackUuid: CORE_UUID + instant.core, name: instant.name, categories: [instant.category],
        debugAnnotations: annotations(instant.args),
        ...(instant.flowOut !== undefined ? { flowIds: [instant.flowOut] } : {}),
        ...(instant.flowIn !== undefined ? { terminatingFlowIds: [instant.flowIn] } : {}),
      },
    });
  }
  for (const sample of timeline.counters) {
    events.push({ atNs: sample.atNs, order: 3, event: { type: EVENT_TYPE.counter, trackUuid: COUNTER_UUID[sample.counter], counterValue: sample.value } });
  }
  events.sort((a, b) => a.atNs - b.atNs || a.order - b.order);
  return [
    ...descriptors.map((packet, i) => ({ ...packet, timestamp: 0, trustedPacketSequenceId: SEQUENCE, ...(i === 0 ? { sequenceFlags: SEQ_INCREMENTAL_STATE_CLEARED } : {}) })),
    ...events.map(({ atNs, event }) => ({ timestamp: Math.round(atNs), trustedPacketSequenceId: SEQUENCE, trackEvent: event })),
  ];
}

/** Writes the trace file (Perfetto's protobuf Trace) for `timeline`. */
export function writePerfettoTrace(path: string, timeline: Timeline): void {
  const type = traceType();
  writeFileSync(path, type.encode(type.fromObject({ packet: tracePackets(timeline) })).finish());
}
