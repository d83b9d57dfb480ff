import { afterEach, describe, expect, it } from 'vitest';
import { RspClient } from './support/rsp-client.js';
import { startStub, type Stub } from './support/stub.js';

// GdbServer.closed resolves when its one client detaches, kills or disconnects.
const HELLO = 'images/hello-x86.json';

let stub: Stub | undefined;
const clients: RspClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stub?.stop();
  stub = undefined;
});

async function connect(): Promise<RspClient> {
  stub ??= await startStub(HELLO);
  const client = await RspClient.connect(stub.server.port);
  clients.push(client);
  return client;
}

describe('gdb stub lifecycle', () => {
  it('listens on 127.0.0.1 at the port it reports', async () => {
    stub = await startStub(HELLO);
    expect(stub.server.port).toBeGreaterThan(0);
    await expect(RspClient.connect(stub.server.port)).resolves.toBeInstanceOf(RspClient);
  });

  it('closes on D and takes its breakpoints out of the session', async () => {
    const rsp = await connect();
    expect(await rsp.request('Z0,110000,1')).toBe('OK');
    expect(stub!.session.breakpoints).toHaveLength(2);
    expect(await rsp.request('D')).toBe('OK');
    await stub!.server.closed;
    expect(stub!.session.breakpoints).toEqual([]);
  });

  it('closes on k without a reply', async () => {
    const rsp = await connect();
    rsp.write('$k#6b');
    await stub!.server.closed;
  });

  it('closes when the client disconnects', async () => {
    const rsp = await connect();
    expect(await rsp.request('Z2,220000,4')).toBe('OK');
    rsp.close();
    await stub!.server.closed;
    expect(stub!.session.watchpoints).toEqual([]);
  });

  it('detaches and kills process by process, closing after the last', async () => {
    const rsp = await connect();
    expect(await rsp.request('D;1')).toBe('OK');
    expect(await rsp.request('qfThreadInfo')).toBe('mp2.1,p2.2');
    expect(await rsp.request('Hgp1.1')).toBe('E02');
    expect(await rsp.request('vKill;2')).toBe('OK');
    await stub!.server.closed;
    // The killed node's cores are over; the detached node's run on.
    for (const core of [0, 1]) {
      expect(stub!.session.core({ node: 1, core }).summary().fault?.reason).toBe('killed by the debugger');
      expect(stub!.session.core({ node: 0, core }).status).toBe('ready');
    }
  });

  it('serves one client at a time', async () => {
    const first = await connect();
    const second = await connect();
    await expect(second.next(2000)).rejects.toThrow('connection closed');
    expect(await first.request('qC')).toBe('QCp1.1');
  });
});
