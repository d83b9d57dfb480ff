import type { Channels } from '../../guest-kernel/index.js';
import { formatTable } from './text-table.js';

export interface ChannelRow {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly kind: 'ring' | 'kernel';
  readonly sent: number;
  readonly received: number;
  readonly bytes: number;
  readonly stalls: number;
  readonly meanLatencyNs: number;
  readonly maxLatencyNs: number;
  /** Latency histogram in virtual ns: messages below each power of two. */
  readonly latency: readonly { belowNs: number; count: number }[];
}

export function summarizeChannels(channels: Channels): ChannelRow[] {
  return channels.report().map(({ spec, remote, stats }) => ({
    id: spec.id,
    from: `n${spec.from.node}.c${spec.from.core}`,
    to: `n${spec.to.node}.c${spec.to.core}`,
    kind: remote ? 'kernel' : 'ring',
    sent: stats.sentMessages,
    received: stats.receivedMessages,
    bytes: stats.bytes,
    stalls: stats.stalls,
    meanLatencyNs: Math.round(stats.meanLatencyNs),
    maxLatencyNs: Math.round(stats.maxLatencyNs),
    latency: stats.buckets(),
  }));
}

/** The channel part of the boot summary: one row per channel. */
export function formatChannelTable(rows: readonly ChannelRow[]): string {
  const header = ['channel', 'from', 'to', 'via', 'sent', 'received', 'bytes', 'stalls', 'mean ns', 'max ns', 'latency histogram'];
  const table = rows.map((row) => [
    String(row.id), row.from, row.to, row.kind, String(row.sent), String(row.received), String(row.bytes),
    String(row.stalls), String(row.meanLatencyNs), String(row.maxLatencyNs),
    row.latency.map((bucket) => `<${bucket.belowNs}:${bucket.count}`).join(' ') || '-',
  ]);
  return `Channels\n${formatTable(header, table, new Set([0, 4, 5, 6, 7, 8, 9]))}`;
}
