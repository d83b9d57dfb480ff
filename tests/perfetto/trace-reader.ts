// Runs `boot --json --perfetto` and decodes the trace with the writer's own schema.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { EVENT_TYPE, traceType } from '../../emulator/perfetto/index.js';
import { runCli, type TempDir } from '../support/index.js';

export interface Descriptor {
  uuid: number; parentUuid?: number; name?: string; process?: { pid: number; processName: string };
  thread?: { tid: number; threadName: string }; counter?: object;
}

export interface TrackEvent {
  type: number; trackUuid: number; name?: string; categories?: string[]; flowIds?: number[]; terminatingFlowIds?: number[];
  counterValue?: number; debugAnnotations?: { name: string; intValue?: number; stringValue?: string }[];
}

export interface Packet {
  readonly timestamp?: number;
  readonly trackDescriptor?: Descriptor;
  readonly trackEvent?: TrackEvent;
}

export async function traced(tmp: TempDir, image: string, extra: readonly string[] = []) {
  const file = tmp.join(`${image.replace(/\W/g, '_')}-${extra.join('_').replace(/\W/g, '')}.pftrace`);
  const result = await runCli(['boot', image, '--json', '--perfetto', file, ...extra]);
  expect(result.code).toBe(0);
  const type = traceType();
  const decoded = type.toObject(type.decode(readFileSync(file)), { longs: Number, enums: Number }) as { packet: Packet[] };
  return { run: JSON.parse(result.stdout) as Record<string, unknown>, packets: decoded.packet, stderr: result.stderr };
}

export const events = (packets: readonly Packet[]) => packets.flatMap((packet) => (packet.trackEvent ? [packet.trackEvent] : []));

export const descriptors = (packets: readonly Packet[]) => packets.flatMap((packet) => (packet.trackDescriptor ? [packet.trackDescriptor] : []));

export const named = (packets: readonly Packet[], name: string) => events(packets).filter((event) => event.type === EVENT_TYPE.instant && event.name === name);

/** The track named `name` (a core lane like "n0.c1 transactions", a node kernel's, a counter). */
export function trackNamed(packets: readonly Packet[], name: string): Descriptor | undefined {
  return descriptors(packets).find((track) => (track.name ?? track.thread?.threadName) === name);
}

export interface DecodedSlice {
  readonly track: number;
  readonly name: string;
  readonly beginNs: number;
  readonly endNs: number;
  readonly depth: number;
  readonly args: Readonly<Record<string, number | string>>;
}

/**
 * Every slice of the trace from its begin and end events. Fails the test when a track's
 * slices do not nest (an end with nothing open, a slice left open at the end).
 */
export function slices(packets: readonly Packet[]): DecodedSlice[] {
  const open = new Map<number, { event: TrackEvent; beginNs: number }[]>();
  const done: DecodedSlice[] = [];
  for (const packet of packets) {
    const event = packet.trackEvent;
    if (!event) continue;
    const stack = open.get(event.trackUuid) ?? [];
    open.set(event.trackUuid, stack);
    if (event.type === EVENT_TYPE.sliceBegin) stack.push({ event, beginNs: packet.timestamp ?? 0 });
    if (event.type !== EVENT_TYPE.sliceEnd) continue;
    const begun = stack.pop();
    expect(begun, `an end with no slice open on track ${event.trackUuid} at ${packet.timestamp} ns`).toBeDefined();
    const args = Object.fromEntries((begun!.event.debugAnnotations ?? []).map((a) => [a.name, a.intValue ?? a.stringValue ?? '']));
    done.push({ track: event.trackUuid, name: begun!.event.name ?? '', beginNs: begun!.beginNs, endNs: packet.timestamp ?? 0, depth: stack.length, args });
  }
  for (const [track, stack] of open) expect(stack, `slices left open on track ${track}`).toHaveLength(0);
  return done;
}
