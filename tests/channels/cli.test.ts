// `clustervm boot images/channels.json` as a real subprocess: the channel counters of the
// summary, checked against the image and its programs. ping (n0.c0 and n0.c2) sends
// ROUNDS messages and waits for each reply; pong (n0.c1, and the SPARC node) answers
// each, adding 1000 to word 0. So each of the 4 channels carries ROUNDS messages of 64
// bytes, never holds more than one (no stalls: slots and windows exceed 1), and each ping
// reports sum(r + 1000, r = 1..ROUNDS).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_BYTES } from '../../guest-kernel/channels/ring-format.js';
import { outputLines, REPO_ROOT, runCli, type CliResult } from '../support/index.js';

const IMAGE = 'images/channels.json';

interface ImageJson {
  interconnect: { latencyNs: number; bandwidthMbps: number };
  channels: { from: [number, number]; to: [number, number]; slots: number; window?: number }[];
  nodes: { programs: { source: string }[] }[];
}

const image = JSON.parse(readFileSync(join(REPO_ROOT, IMAGE), 'utf8')) as ImageJson;

/** ROUNDS as every program of the image sets it. */
function rounds(): number {
  const values = image.nodes.flatMap((node) => node.programs.map((p) => {
    const source = readFileSync(join(REPO_ROOT, 'images', p.source), 'utf8');
    const match = /^\.set\s+ROUNDS,\s*(\d+)/m.exec(source);
    if (!match) throw new Error(`${p.source} sets no ROUNDS`);
    return Number(match[1]);
  }));
  expect(new Set(values).size, 'every program agrees on ROUNDS').toBe(1);
  return values[0]!;
}

interface ChannelJson {
  id: number; from: string; to: string; kind: string; sent: number; received: number; bytes: number; stalls: number;
  meanLatencyNs: number; maxLatencyNs: number; latency: { belowNs: number; count: number }[];
}

describe('clustervm boot images/channels.json', () => {
  let json: CliResult;
  let text: CliResult;
  beforeAll(async () => {
    [json, text] = await Promise.all([runCli(['boot', IMAGE, '--json']), runCli(['boot', IMAGE])]);
  });

  it('--json has a channels array with sent, received and latency per channel', () => {
    expect(json.code, json.stderr).toBe(0);
    const ROUNDS = rounds();
    expect(ROUNDS).toBe(20);
    const summary = JSON.parse(json.stdout) as { cores: { node: number; core: number; result: string | null }[]; channels: ChannelJson[] };
    expect(summary.channels).toHaveLength(image.channels.length);
    const oneWayNs = image.interconnect.latencyNs + (MESSAGE_BYTES * 8 * 1e9) / (image.interconnect.bandwidthMbps * 1e6);
    expect(oneWayNs).toBe(100_512);

    for (const [id, spec] of image.channels.entries()) {
      const channel = summary.channels[id]!;
      const remote = spec.from[0] !== spec.to[0];
      const label = `channel ${id}`;
      expect({ id: channel.id, from: channel.from, to: channel.to, kind: channel.kind }, label).toEqual({
        id, from: `n${spec.from[0]}.c${spec.from[1]}`, to: `n${spec.to[0]}.c${spec.to[1]}`, kind: remote ? 'kernel' : 'ring',
      });
      expect({ sent: channel.sent, received: channel.received, bytes: channel.bytes, stalls: channel.stalls }, label)
        .toEqual({ sent: ROUNDS, received: ROUNDS, bytes: ROUNDS * MESSAGE_BYTES, stalls: 0 });
      expect(channel.latency.reduce((sum, bucket) => sum + bucket.count, 0), label).toBe(ROUNDS);
      expect(channel.maxLatencyNs, label).toBeGreaterThanOrEqual(channel.meanLatencyNs);
      if (remote) {
        // A message cannot be read before it arrives, one way after it left; the
        // receiver sleeps in SYS_CHAN_WAIT until then and reads it in about a hundred
        // instructions (the library's copy loop), far below the link's latency.
        expect(channel.meanLatencyNs, label).toBeGreaterThanOrEqual(oneWayNs);
        expect(channel.meanLatencyNs, label).toBeLessThan(oneWayNs + 1000);
        // The ping-pong is periodic: every message took the same time.
        expect(channel.maxLatencyNs, label).toBe(channel.meanLatencyNs);
        expect(channel.latency, label).toEqual([{ belowNs: 2 ** Math.ceil(Math.log2(oneWayNs)), count: ROUNDS }]);
      }
    }
    // Each ping got back r + 1000 for r = 1..ROUNDS.
    const pingResult = String(ROUNDS * (ROUNDS + 1) / 2 + 1000 * ROUNDS);
    const pings = summary.cores.filter((c) => (c.node === 0 && (c.core === 0 || c.core === 2)));
    expect(pings.map((c) => c.result)).toEqual([pingResult, pingResult]);
  });

  it('the text summary prints the same counters in its Channels table', () => {
    expect(text.code, text.stderr).toBe(0);
    const lines = outputLines(text.stdout);
    const at = lines.indexOf('Channels');
    expect(at, text.stdout).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^channel\s+from\s+to\s+via\s+sent\s+received\s+bytes\s+stalls\s+mean ns\s+max ns\s+latency histogram$/);
    const rows = lines.slice(at + 3, at + 3 + image.channels.length).map((line) => line.trim().split(/\s+/));
    const summary = JSON.parse(json.stdout) as { channels: ChannelJson[] };
    expect(rows.map((r) => r.slice(0, 10))).toEqual(summary.channels.map((c) => [
      String(c.id), c.from, c.to, c.kind, String(c.sent), String(c.received), String(c.bytes), String(c.stalls),
      String(c.meanLatencyNs), String(c.maxLatencyNs),
    ]));
  });
});
