import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RspClient } from './support/rsp-client.js';
import { startStub, type Stub } from './support/stub.js';
import { TempDir } from '../../support/index.js';

const images = new TempDir('clustervm-run-control');
afterAll(() => images.cleanup());

// Resumes through a raw client: each gets exactly one stop reply.
const HELLO = 'images/hello-x86.json';

let stub: Stub | undefined;
let client: RspClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await stub?.stop();
  stub = undefined;
});

async function connect(image: string, options: { maxInstructions?: number } = {}): Promise<RspClient> {
  stub = await startStub(image, options);
  client = await RspClient.connect(stub.server.port);
  return client;
}

function x86Image(name: string, source: string): string {
  return images.writeImage(name, { nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source }] }] });
}

/** Nothing more arrives: the stub sent one stop reply, not two. */
async function expectSilence(rsp: RspClient): Promise<void> {
  await expect(rsp.next(150)).rejects.toThrow('no reply');
}

describe('gdb stub run control', () => {
  it('interrupts a running cluster on Ctrl-C', async () => {
    const rsp = await connect(x86Image('gdb-spin', 'main:\nagain:\n inc eax\n jmp again\n'), { maxInstructions: 1e12 });
    rsp.write('$vCont;c#a8');
    expect((await rsp.next()).kind).toBe('ack');
    await expectSilence(rsp);
    rsp.write('\x03');
    expect(await rsp.reply()).toBe('T02thread:p1.1;');
    await expectSilence(rsp);
    expect(stub!.session.core({ node: 0, core: 0 }).instructions).toBeGreaterThan(10_000);
    expect(await rsp.request('p0')).not.toBe('00000000');
  });

  it('breaks per process: both cores of node 0 stop, node 1 runs past the same address', async () => {
    const rsp = await connect(HELLO);
    const main = stub!.address(0, 'hello-x86-32:main');
    expect(stub!.address(1, 'hello-x86-64:main')).toBe(main);
    expect(await rsp.request(`Z0,${main.toString(16)},1`)).toBe('OK');
    expect(stub!.session.breakpoints.map((b) => b.scope)).toEqual([{ node: 0, core: 0 }, { node: 0, core: 1 }]);
    expect(await rsp.request('vCont;c')).toBe('T05thread:p1.1;swbreak:;');
    expect(await rsp.request('vCont;c')).toBe('T05thread:p1.2;swbreak:;');
    expect(await rsp.request('qC')).toBe('QCp1.2');
    expect(await rsp.request(`z0,${main.toString(16)},1`)).toBe('OK');
    expect(stub!.session.breakpoints).toEqual([]);
  });

  it('steps one core by one instruction, and continues one core alone', async () => {
    const rsp = await connect(HELLO);
    const main = stub!.address(0, 'hello-x86-32:main');
    const core = (node: number, id: number) => stub!.session.core({ node, core: id });
    expect(await rsp.request('vCont;s:p1.2')).toBe('T05thread:p1.2;');
    expect(core(0, 1).instructions).toBe(1);
    expect(core(0, 0).instructions).toBe(0);
    expect(await rsp.request(`Z0,${main.toString(16)},1`)).toBe('OK');
    expect(await rsp.request('vCont;c:p1.1')).toBe('T05thread:p1.1;swbreak:;');
    expect(core(0, 0).pc).toBe(main);
    expect(core(0, 1).instructions).toBe(1);
    expect(core(1, 0).instructions).toBe(0);
  });

  it('reports each node exit on its own resume, then has no threads left', async () => {
    const rsp = await connect(HELLO);
    const exits = [await rsp.request('vCont;c'), await rsp.request('vCont;c')];
    expect(exits.sort()).toEqual(['W00;process:1', 'W00;process:2']);
    expect(await rsp.request('qfThreadInfo')).toBe('l');
    expect(await rsp.request('vCont;c')).toBe('E02');
    expect(stub!.console.filter((line) => line.includes('hello from node'))).toHaveLength(4);
  });

  it('reports a fault with its signal, then the process as killed by it', async () => {
    const rsp = await connect(x86Image('gdb-fault', 'main:\n mov eax, dword ptr [0]\n ret\n'));
    expect(await rsp.request('vCont;c')).toBe('T0bthread:p1.1;');
    expect(await rsp.request('vCont;c')).toBe('X0b;process:1');
  });

  it('reports a watchpoint after the access', async () => {
    const rsp = await connect(x86Image('gdb-watch-raw', 'main:\n mov dword ptr [USER_DATA + 4], 7\n xor eax, eax\n ret\n'));
    expect(await rsp.request('Z2,220004,4')).toBe('OK');
    expect(await rsp.request('vCont;c')).toBe('T05thread:p1.1;watch:220004;');
    expect(await rsp.request('m220004,4')).toBe('07000000');
    expect(await rsp.request('z2,220004,4')).toBe('OK');
    expect(await rsp.request('vCont;c')).toBe('W00;process:1');
  });
});
