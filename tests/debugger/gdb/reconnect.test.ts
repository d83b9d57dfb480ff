// `clustervm debug --gdb` outlives one gdb: after a detach, a disconnect or a gdb that
// dies, the next gdb connects and finds the cluster where it was; vAttach takes back a
// process gdb detached from.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RspClient } from './support/rsp-client.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;
const clients: RspClient[] = [];

beforeAll(() => requireGdb());
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stub?.stop();
  stub = undefined;
});

async function connect(): Promise<RspClient> {
  const client = await RspClient.connect(stub!.server.port);
  clients.push(client);
  return client;
}

/** Connects once the stub has seen the previous client go (it serves one at a time). */
async function connectAfter(previous: RspClient): Promise<RspClient> {
  previous.close();
  for (let attempt = 0; ; attempt++) {
    const client = await connect();
    try {
      expect(await client.request('qC')).toMatch(/^QCp/);
      return client;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('a stub that serves one gdb after another', () => {
  it('real gdb: break and detach, then a second gdb finds the core at the breakpoint', async () => {
    stub = await startStub('images/hello-x86.json', { reconnect: true });
    const main = stub.address(0, 'hello-x86-32:main');
    const first = await runGdb(stub.server.port, [`break *${hex(main)}`, 'continue', 'detach']);
    expect(first).toContain('hit Breakpoint 1');
    const second = await runGdb(stub.server.port, ['info threads', 'p/x $pc', 'disconnect']);
    expect(second).toContain(`$1 = ${hex(main)}`);
    const third = await runGdb(stub.server.port, ['p/x $pc']);
    expect(third).toContain(`$1 = ${hex(main)}`);
  });

  it('vAttach takes back a detached process; a disconnect leaves the next client the cluster', async () => {
    stub = await startStub('images/hello-x86.json', { reconnect: true });
    const rsp = await connect();
    expect(await rsp.request('D;1')).toBe('OK');
    expect(await rsp.request('qfThreadInfo')).toBe('mp2.1,p2.2');
    expect(await rsp.request('vAttach;1')).toBe('T05thread:p1.1;');
    expect(await rsp.request('qfThreadInfo')).toBe('mp1.1,p1.2,p2.1,p2.2');
    expect(await rsp.request('vAttach;9')).toBe('E02');
    const next = await connectAfter(rsp);
    expect(await next.request('qfThreadInfo')).toBe('mp1.1,p1.2,p2.1,p2.2');
  });
});
