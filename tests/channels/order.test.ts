// Order and no loss on every kind of channel under many schedules. A producer sends K
// numbered messages (word 0 = sequence number, words 1..14 = checksum words); the consumer
// counts the messages that arrive in order with every word right and sums word 1 of every
// message it got (tests/channels/support/chan-programs.ts). Over quanta 1..5000 (fast-check,
// fixed seed) the consumer must report K in-order messages and the exact checksum, the
// channel's counters must read sent == received == K and bytes == 64 K, and the ring's
// head and tail must both stand at K (no message written twice, none left unread).
//
// Within a node the consumer waits with chan_recv_wait. Across nodes it polls (chan_recv,
// then SYS_YIELD while the ring is empty): a receiver blocked in SYS_CHAN_WAIT while its
// sender is blocked too loses one of the two wake-ups (see lost-wakeup.test.ts).

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MESSAGE_BYTES } from '../../guest-kernel/channels/ring-format.js';
import type { IsaName } from '../../isa/index.js';
import { ChanDir, coreOf, describeCores, runChannels, type ChanImage } from './support/chan-image.js';
import { checksumOf, consumer, halves, producer, reported } from './support/chan-programs.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const K = 40;
const RUNS = 15;
const SEED = 0x5eed_c4a2;
const quanta = fc.integer({ min: 1, max: 5000 });

interface Case {
  readonly name: string;
  readonly image: ChanImage;
  readonly producer: readonly [number, number];
  readonly consumer: readonly [number, number];
  readonly remote: boolean;
}

function sameNode(isa: IsaName): Case {
  return {
    name: `${isa}: core 0 to core 1 of one node`,
    image: {
      channels: [{ from: [0, 0], to: [0, 1], slots: 4 }],
      nodes: [{
        isa, cores: 2,
        programs: [
          { name: 'producer', source: producer(isa, 0, K), cores: [0] },
          { name: 'consumer', source: consumer(isa, 0, K), cores: [1] },
        ],
      }],
    },
    producer: [0, 0], consumer: [0, 1], remote: false,
  };
}

function acrossNodes(from: IsaName, to: IsaName): Case {
  return {
    name: `${from} node to ${to} node`,
    image: {
      interconnect: { latencyNs: 10_000, bandwidthMbps: 1000 },
      // A ring of 2 behind a window of 4: messages also wait in the kernel for room.
      channels: [{ from: [0, 0], to: [1, 0], slots: 2, window: 4 }],
      nodes: [
        { isa: from, cores: 1, programs: [{ name: 'producer', source: producer(from, 0, K) }] },
        { isa: to, cores: 1, programs: [{ name: 'consumer', source: consumer(to, 0, K, { poll: true }) }] },
      ],
    },
    producer: [0, 0], consumer: [1, 0], remote: true,
  };
}

const CASES: readonly Case[] = [
  sameNode('x86-32'), sameNode('x86-64'), sameNode('sparc32'), sameNode('sparc64'),
  acrossNodes('x86-32', 'x86-64'), acrossNodes('x86-32', 'sparc32'), acrossNodes('sparc64', 'x86-32'),
];

describe.concurrent('K numbered messages arrive in order, exactly once, under quanta 1..5000', () => {
  it.each(CASES)('$name', async ({ name, image, producer: [pn, pc], consumer: [cn, cc], remote }) => {
    const path = dir.write(name, image);
    const seen = new Set<number>();
    await fc.assert(fc.asyncProperty(quanta, async (quantum) => {
      seen.add(quantum);
      const run = await runChannels(path, quantum);
      const label = `quantum ${quantum}\n${describeCores(run.cores)}`;
      for (const core of run.cores) expect([core.status, core.exitStatus, core.faults], label).toEqual(['exited', 0, 0]);
      // The consumer's verdict: K messages in order, every checksum word right.
      expect(coreOf(run.cores, cn, cc).result, label).toBe(reported(K, checksumOf(K)));
      const [channel] = run.channels;
      expect(channel!.remote, label).toBe(remote);
      const { sentMessages, receivedMessages, bytes, stalls } = channel!.stats;
      expect({ sentMessages, receivedMessages, bytes }, label).toEqual({ sentMessages: K, receivedMessages: K, bytes: MESSAGE_BYTES * K });
      expect(run.rings[0], label).toEqual({ head: K, tail: K });
      // Every refused send is a stall (kernel channels count the refusal and the wait).
      const refused = halves(coreOf(run.cores, pn, pc).result).lo;
      expect(stalls, label).toBe(remote ? 2 * refused : refused);
      // The histogram holds every received message.
      expect(channel!.stats.buckets().reduce((sum, b) => sum + b.count, 0), label).toBe(K);
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    expect(seen.size, 'fast-check tried several quanta').toBeGreaterThanOrEqual(RUNS - 3);
  });
});
