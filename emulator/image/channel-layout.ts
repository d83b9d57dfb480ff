import {
  CHANNEL_TABLE_BYTES, MAX_CHANNELS, ringBytes, type ChannelLayout, type ChannelSpec,
} from '../../guest-kernel/index.js';
import type { NodeImage } from '../machine/index.js';
import { CHANNEL_AREA, CHANNEL_AREA_BYTES } from '../machine/index.js';
import { ImageError } from './image-error.js';
import type { ChannelEntry } from './schema.js';

/** Numbers the image's channels and places each ring in its receiver node's channel area. */
export function layOutChannels(file: string, entries: readonly ChannelEntry[], nodes: readonly NodeImage[]): ChannelLayout {
  if (entries.length > MAX_CHANNELS) throw new ImageError(`${file}: channels: at most ${MAX_CHANNELS} channels`);
  const nextRing = new Map<number, number>();
  const channels = entries.map((entry, id): ChannelSpec => {
    const field = `${file}: channels[${id}]`;
    const [from, to] = (['from', 'to'] as const).map((key) => {
      const [node, core] = entry[key];
      const image = nodes[node];
      if (!image) throw new ImageError(`${field}.${key}: no node ${node} (the image has ${nodes.length})`);
      if (core >= image.cores) throw new ImageError(`${field}.${key}: node ${node} has no core ${core} (it has ${image.cores})`);
      return { node, core };
    }) as [ChannelSpec['from'], ChannelSpec['to']];
    if (from.node === to.node && from.core === to.core) throw new ImageError(`${field}: a core cannot send to itself`);
    const ring = nextRing.get(to.node) ?? CHANNEL_AREA + CHANNEL_TABLE_BYTES;
    const end = ring + ringBytes(entry.slots);
    if (end > CHANNEL_AREA + CHANNEL_AREA_BYTES) {
      throw new ImageError(`${field}.slots: node ${to.node}'s rings exceed its ${CHANNEL_AREA_BYTES >> 10} KiB channel area`);
    }
    nextRing.set(to.node, Math.ceil(end / 64) * 64);
    return { id, from, to, slots: entry.slots, window: entry.window, ring };
  });
  return { table: CHANNEL_AREA, channels };
}
