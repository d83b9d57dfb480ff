// Both ends of a cross-node channel blocked in SYS_CHAN_WAIT at once: the sender on a
// full window, the receiver on an empty ring. Each end has a waiting slot of its own, so
// an arriving message wakes the receiver and its acknowledgement wakes the sender.
//
// Image: node 0 (x86-32) sends 2 messages with chan_send (+ SYS_CHAN_WAIT when refused)
// on a window-1 channel to node 1 (x86-32), which receives them with the library's
// chan_recv_wait. At quantum 1 the receiver blocks first; at quantum 10000 the sender
// does. Both cores must exit, the receiver with both messages in order.

import { afterAll, describe, expect, it } from 'vitest';
import { ChanDir, coreOf, describeCores, runChannels } from './support/chan-image.js';
import { checksumOf, consumer, producer, reported } from './support/chan-programs.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const K = 2;

function image(): string {
  return dir.write('lost-wakeup', {
    interconnect: { latencyNs: 10_000, bandwidthMbps: 1000 },
    channels: [{ from: [0, 0], to: [1, 0], slots: 4, window: 1 }],
    nodes: [
      { isa: 'x86-32', cores: 1, programs: [{ name: 'producer', source: producer('x86-32', 0, K) }] },
      { isa: 'x86-32', cores: 1, programs: [{ name: 'consumer', source: consumer('x86-32', 0, K) }] },
    ],
  });
}

describe('sender and receiver of one cross-node channel both blocked in SYS_CHAN_WAIT', () => {
  it.each([
    ['quantum 1 (the receiver blocks first)', 1],
    ['quantum 10000 (the sender blocks first)', 10_000],
  ])('%s: both are woken and all messages arrive', async (_name, quantum) => {
    const run = await runChannels(image(), quantum);
    const label = `${describeCores(run.cores)}\nring ${JSON.stringify(run.rings[0])}`;
    expect(run.cores.map((c) => c.status), label).toEqual(['exited', 'exited']);
    expect(coreOf(run.cores, 1, 0).result, label).toBe(reported(K, checksumOf(K)));
    const { sentMessages, receivedMessages } = run.channels[0]!.stats;
    expect({ sentMessages, receivedMessages }, label).toEqual({ sentMessages: K, receivedMessages: K });
  });
});
