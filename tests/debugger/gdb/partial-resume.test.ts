// gdb resumes only what it names. With `set schedule-multiple off` (gdb's default) a
// continue or stepi runs the current inferior's threads and no other node; `on` runs
// them all. Steps that let the other threads run go in schedule order, so a stepped
// run of the whole cluster ends exactly as a free one.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootImage } from '../../../emulator/index.js';
import { textToHex } from '../../../emulator/debugger/gdb/hex.js';
import { RspClient } from './support/rsp-client.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;
let client: RspClient | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  client?.close();
  client = undefined;
  await stub?.stop();
  stub = undefined;
});

const instructions = (node: number) => stub!.cluster.node(node).cores.map((core) => core.instructions);

describe('gdb partial resume', () => {
  it('continues the current inferior only; the other keeps its state and registers', async () => {
    stub = await startStub('images/hello-x86.json');
    const output = await runGdb(stub.server.port, ['continue', 'inferior 2', 'info registers rip', 'info threads']);
    // Process 1 ran to its exit; process 2 never ran, so gdb's view of it is the truth.
    expect(output).toContain('[Inferior 1 (process 1) exited normally]');
    expect(output).not.toContain('process 2) exited');
    expect(output).toMatch(/rip +0x102000 +0x102000/);
    expect(instructions(0).every((count) => count > 0)).toBe(true);
    expect(instructions(1)).toEqual([0, 0]);
    expect(stub.console.filter((line) => line.includes('node 0'))).toHaveLength(2);
    expect(stub.console.filter((line) => line.includes('node 1'))).toHaveLength(0);
  });

  it('runs every inferior with set schedule-multiple on', async () => {
    // The SPARC node's pong needs the x86 node's pings: the run ends only if both run.
    stub = await startStub('images/channels.json');
    const output = await runGdb(stub.server.port, ['set schedule-multiple on', 'continue']);
    expect(output).toMatch(/\[Inferior [12] \(process [12]\) exited normally\]/);
    expect(stub.cluster.cores.every((core) => core.instructions > 0)).toBe(true);
    expect(stub.session.core({ node: 1, core: 0 }).status).toBe('exited');
  });

  it('SPARC stepi moves the stepped thread by one instruction and nothing else', async () => {
    stub = await startStub('images/hello-sparc.json');
    const output = await runGdb(stub.server.port, ['inferior 2', 'stepi', 'stepi', 'info registers pc npc']);
    expect(output).toMatch(/pc +0x102008 +0x102008\nnpc +0x10200c +0x10200c/);
    expect(stub.session.core({ node: 1, core: 0 }).pc).toBe(0x102008);
    expect(instructions(0)).toEqual([0, 0]);
    // Its node's other core ran on meanwhile, in schedule order.
    expect(instructions(1)[0]).toBe(2);
  });

  it('says so when the resumed process waits on a stopped one, and stops on Ctrl-C', async () => {
    stub = await startStub('images/channels.json');
    client = await RspClient.connect(stub.server.port);
    // Node 1 answers pings from node 0, which stays stopped.
    client.write('$vCont;c:p2.-1#10');
    const notice = await client.reply();
    expect(notice).toBe(`O${textToHex('clustervm: the resumed threads all wait on processes gdb keeps stopped; '
      + '`set schedule-multiple on` runs those too. Ctrl-C stops.\n')}`);
    expect(stub.session.core({ node: 1, core: 0 }).status).toBe('sleeping');
    client.write('\x03');
    expect(await client.reply()).toBe('T02thread:p1.1;');
    expect(instructions(0)).toEqual([0, 0, 0]);
    // Resuming node 0 too lets the ping-pong finish.
    expect(await client.request('vCont;c')).toMatch(/^W00;process:[12]$/);
  });

  it('stepping with the others running in schedule order ends as a free run does', async () => {
    const free: string[] = [];
    const cluster = await bootImage('images/channels.json', { maxInstructions: 10_000_000, console: (line) => free.push(line) });
    cluster.scheduler().runToEnd(1000);
    const freeCounts = cluster.finish().map((core) => `${core.instructions} ${core.virtualNs}`);
    cluster.close();

    stub = await startStub('images/channels.json');
    client = await RspClient.connect(stub.server.port);
    for (let i = 0; i < 300; i++) expect(await client.request(`vCont;s:p${1 + (i % 2)}.1;c`)).toMatch(/^T05thread:p[12]\.1;$/);
    const exited = new Set<string>();
    while (exited.size < 2) {
      const reply = await client.request('vCont;c');
      expect(reply).toMatch(/^W00;process:[12]$/);
      exited.add(reply);
    }
    expect(stub.console).toEqual(free);
    expect(stub.cluster.finish().map((core) => `${core.instructions} ${core.virtualNs}`)).toEqual(freeCounts);
  });
});
