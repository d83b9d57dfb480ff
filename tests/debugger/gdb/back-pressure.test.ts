// A client that sends request after request and never reads its replies (issue 10,
// item 14): the stub used to buffer every reply (176 MB to 3.3 GB in 11 s). It must
// stop reading while its unsent replies pass a bound, and answer everything, in order,
// once the client reads again.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_UNSENT_REPLY_BYTES } from '../../../emulator/debugger/gdb/connection.js';
import { frame, PacketReader } from '../../../emulator/debugger/gdb/packet-reader.js';
import { startStub, type Stub } from './support/stub.js';

const HELLO = 'images/hello-x86.json';
/** 2 KiB of node 0's boot info and firmware: a 4 KiB hex reply per request. */
const READ = 'm100000,800';
const REQUESTS = 20_000;
/** A reply that starts while the unsent bytes are just under the bound may pass it. */
const REPLY_BYTES = 1 + frame('0'.repeat(0x1000)).length;

let stub: Stub | undefined;
let socket: Socket | undefined;

afterEach(async () => {
  socket?.destroy();
  socket = undefined;
  await stub?.stop();
  stub = undefined;
});

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

describe('gdb stub back-pressure', () => {
  it('a client that never reads keeps the stub\'s unsent replies bounded; reading again gets every reply', async () => {
    stub = await startStub(HELLO);
    const server = stub.server;
    const client = await new Promise<Socket>((resolve, reject) => {
      const s = connect(server.port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    socket = client;
    client.pause();
    const expected = (await (async () => {
      // The reply the stub gives to one read, taken from a well-behaved exchange first.
      const reader = new PacketReader(1 << 20);
      client.write(frame(READ));
      client.resume();
      for (;;) {
        const chunk = await new Promise<Buffer>((resolve) => client.once('data', resolve));
        for (const event of reader.feed(chunk)) if (event.kind === 'packet') return event.body;
      }
    })());
    client.pause();
    expect(expected).toMatch(/^[0-9a-f]{4096}$/);

    // 20,000 requests would be 80 MiB of replies; the client takes none of them.
    client.write(frame(READ).repeat(REQUESTS));
    let most = 0;
    let steady = 0;
    while (steady < 50) {
      await tick();
      const unsent = server.unsentReplyBytes;
      expect(unsent, 'unsent reply bytes').toBeLessThanOrEqual(MAX_UNSENT_REPLY_BYTES + REPLY_BYTES);
      steady = server.readingPaused && unsent === most ? steady + 1 : 0;
      most = Math.max(most, unsent);
    }
    expect(most).toBeGreaterThan(MAX_UNSENT_REPLY_BYTES);

    // Reading again: the stub resumes on 'drain' and answers every request, in order.
    const reader = new PacketReader(1 << 20);
    let replies = 0;
    let wrong = 0;
    await new Promise<void>((resolve, reject) => {
      client.on('data', (chunk: Buffer) => {
        for (const event of reader.feed(chunk)) {
          if (event.kind !== 'packet') continue;
          if (event.body !== expected) wrong++;
          if (++replies === REQUESTS) resolve();
        }
      });
      client.once('close', () => reject(new Error(`closed after ${replies} replies`)));
      client.resume();
    });
    expect({ replies, wrong }).toEqual({ replies: REQUESTS, wrong: 0 });
    expect(server.readingPaused).toBe(false);
  }, 120_000);
});
