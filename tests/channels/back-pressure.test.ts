// Back-pressure. Within a node: a ring of 2 slots and a consumer that spins between
// receives, so the producer's chan_send finds the ring full and returns 0 (the producer
// counts these refusals and reports them), the channel counts stalls, and still nothing
// is lost. Across nodes: the window bounds the messages in flight (window 1 is
// stop-and-wait: one round trip per message; window 8 pipelines them), and a full ring at
// the receiver holds messages in the kernel, which withholds their acknowledgements and so
// pushes the sender back.
//
// Timing model (guest-kernel/channels/channels.ts): a message arrives one-way(64 B) after
// it departs, departures are at least its wire time apart, and its acknowledgement
// (16 B) leaves when the message enters the receiver's ring.

import { afterAll, describe, expect, it } from 'vitest';
import { MESSAGE_BYTES } from '../../guest-kernel/channels/ring-format.js';
import type { IsaName } from '../../isa/index.js';
import { ChanDir, coreOf, describeCores, runChannels, type ChannelRun } from './support/chan-image.js';
import { checksumOf, consumer, halves, producer, reported } from './support/chan-programs.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const K = 16;
const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];

function expectAllExited(run: ChannelRun): void {
  for (const core of run.cores) expect([core.status, core.exitStatus, core.faults], describeCores(run.cores)).toEqual(['exited', 0, 0]);
}

function expectNothingLost(run: ChannelRun, consumerAt: readonly [number, number]): void {
  const label = describeCores(run.cores);
  expect(coreOf(run.cores, ...consumerAt).result, label).toBe(reported(K, checksumOf(K)));
  const { sentMessages, receivedMessages, bytes } = run.channels[0]!.stats;
  expect({ sentMessages, receivedMessages, bytes }, label).toEqual({ sentMessages: K, receivedMessages: K, bytes: MESSAGE_BYTES * K });
  expect(run.rings[0], label).toEqual({ head: K, tail: K });
}

describe.concurrent('a ring of 2 slots and a slow reader on one node', () => {
  const cases = ISAS.flatMap((isa) => [1, 97, 10_000].map((quantum) => ({ isa, quantum })));
  it.each(cases)('$isa, quantum $quantum: chan_send returns 0, the channel stalls, nothing is lost', async ({ isa, quantum }) => {
    const path = dir.write(`slow-reader-${isa}`, {
      channels: [{ from: [0, 0], to: [0, 1], slots: 2 }],
      nodes: [{
        isa, cores: 2,
        programs: [
          { name: 'producer', source: producer(isa, 0, K), cores: [0] },
          { name: 'consumer', source: consumer(isa, 0, K, { delay: 500 }), cores: [1] },
        ],
      }],
    });
    const run = await runChannels(path, quantum);
    expectAllExited(run);
    expectNothingLost(run, [0, 1]);
    const refused = halves(coreOf(run.cores, 0, 0).result).lo;
    expect(refused, 'chan_send found the ring full').toBeGreaterThan(0);
    // A ring channel counts the producer's SYS_CHAN_WAIT after each refusal.
    expect(run.channels[0]!.stats.stalls).toBe(refused);
  });
});

describe('across nodes: window 1 (stop-and-wait) against window 8', () => {
  const LATENCY_NS = 20_000;
  const MBPS = 1000;
  const oneWayNs = (bytes: number) => LATENCY_NS + (bytes * 8 * 1e9) / (MBPS * 1e6);
  const ROUND_TRIP_NS = oneWayNs(MESSAGE_BYTES) + oneWayNs(16);
  /** Generous compute and wire time per message: far below a round trip (40.6 us). */
  const SLACK_PER_MESSAGE_NS = 1500;

  async function windowRun(window: number): Promise<ChannelRun> {
    const path = dir.write(`window-${window}`, {
      interconnect: { latencyNs: LATENCY_NS, bandwidthMbps: MBPS },
      channels: [{ from: [0, 0], to: [1, 0], slots: 8, window }],
      nodes: [
        { isa: 'x86-32', cores: 1, programs: [{ name: 'producer', source: producer('x86-32', 0, K) }] },
        { isa: 'sparc32', cores: 1, programs: [{ name: 'consumer', source: consumer('sparc32', 0, K, { poll: true }) }] },
      ],
    });
    const run = await runChannels(path, 10_000);
    expectAllExited(run);
    return run;
  }

  it('both carry the same messages; window 8 finishes earlier; window 1 takes K round trips', async () => {
    const one = await windowRun(1);
    const eight = await windowRun(8);
    for (const run of [one, eight]) expectNothingLost(run, [1, 0]);
    // Same messages: the consumer's verdict and checksum agree.
    expect(coreOf(one.cores, 1, 0).result).toBe(coreOf(eight.cores, 1, 0).result);

    const end = (run: ChannelRun) => ({ producer: coreOf(run.cores, 0, 0).virtualNs, consumer: coreOf(run.cores, 1, 0).virtualNs });
    const t1 = end(one);
    const t8 = end(eight);
    expect(t8.producer).toBeLessThan(t1.producer);
    expect(t8.consumer).toBeLessThan(t1.consumer);

    // A quantum ends only at a trap or after 10000 instructions, so an acknowledgement
    // never arrives between a refused chan_send and the next one: with the window full
    // the producer is refused once per message beyond the first window.
    expect(halves(coreOf(one.cores, 0, 0).result).lo).toBe(K - 1);
    expect(halves(coreOf(eight.cores, 0, 0).result).lo).toBe(K - 8);
    // Kernel channels count the refused SYS_CHAN_SEND and the SYS_CHAN_WAIT after it.
    expect(one.channels[0]!.stats.stalls).toBe(2 * (K - 1));
    expect(eight.channels[0]!.stats.stalls).toBe(2 * (K - 8));

    // Stop-and-wait: message n+1 leaves once message n's acknowledgement is back, so the
    // producer's last send is K - 1 round trips in, and the consumer has it one way later.
    const stopAndWait = (K - 1) * ROUND_TRIP_NS;
    expect(t1.producer).toBeGreaterThanOrEqual(stopAndWait);
    expect(t1.producer).toBeLessThanOrEqual(stopAndWait + K * SLACK_PER_MESSAGE_NS);
    expect(t1.consumer).toBeGreaterThanOrEqual(stopAndWait + oneWayNs(MESSAGE_BYTES));
    expect(t1.consumer).toBeLessThanOrEqual(stopAndWait + oneWayNs(MESSAGE_BYTES) + K * SLACK_PER_MESSAGE_NS);
    // Window 8: two windows of 8, the second paced by the first one's acknowledgements.
    const pipelined = (Math.ceil(K / 8) - 1) * ROUND_TRIP_NS;
    expect(t8.producer).toBeGreaterThanOrEqual(pipelined);
    expect(t8.producer).toBeLessThanOrEqual(pipelined + K * SLACK_PER_MESSAGE_NS);
    expect(t8.consumer).toBeGreaterThanOrEqual(pipelined + oneWayNs(MESSAGE_BYTES));
    expect(t8.consumer).toBeLessThanOrEqual(pipelined + oneWayNs(MESSAGE_BYTES) + K * SLACK_PER_MESSAGE_NS);
  });

  it.each([1, 61, 10_000])('a full ring of 2 at a slow receiver pushes a window-8 sender back (quantum %i)', async (quantum) => {
    const SLOTS = 2;
    const WINDOW = 8;
    const DELAY = 20_000;
    const path = dir.write('ring-pushes-back', {
      interconnect: { latencyNs: LATENCY_NS, bandwidthMbps: MBPS },
      channels: [{ from: [0, 0], to: [1, 0], slots: SLOTS, window: WINDOW }],
      nodes: [
        { isa: 'x86-64', cores: 1, programs: [{ name: 'producer', source: producer('x86-64', 0, K) }] },
        { isa: 'sparc64', cores: 1, programs: [{ name: 'consumer', source: consumer('sparc64', 0, K, { poll: true, delay: DELAY }) }] },
      ],
    });
    const run = await runChannels(path, quantum);
    expectAllExited(run);
    expectNothingLost(run, [1, 0]);
    const refused = halves(coreOf(run.cores, 0, 0).result).lo;
    expect(refused).toBeGreaterThan(0);
    expect(run.channels[0]!.stats.stalls).toBe(2 * refused);
    // The consumer's spin is 3 instructions an iteration (subcc, bne, nop), 1 ns each.
    // Message 8 enters the ring only once message 6 was read, i.e. after 5 full spins,
    // and message 16 cannot leave before message 8 is acknowledged.
    const spinNs = 3 * DELAY;
    expect(coreOf(run.cores, 0, 0).virtualNs).toBeGreaterThanOrEqual((K - WINDOW - SLOTS - 1) * spinNs);
    expect(coreOf(run.cores, 1, 0).virtualNs).toBeGreaterThanOrEqual(K * spinNs);
  });
});
