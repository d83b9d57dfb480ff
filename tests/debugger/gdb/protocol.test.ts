import { afterEach, describe, expect, it } from 'vitest';
import { frame } from '../../../emulator/debugger/gdb/packet-reader.js';
import { PACKET_SIZE } from '../../../emulator/debugger/gdb/query-packets.js';
import { RspClient } from './support/rsp-client.js';
import { startStub, type Stub } from './support/stub.js';

// A raw client against images/hello-x86.json (node 0 x86-32, node 1 x86-64): whatever
// it sends, the stub answers with an error, an empty reply or a NAK, and goes on.
const HELLO = 'images/hello-x86.json';
/**
 * x86-32's g packet: 16 general and segment registers, 8 x87 registers of 10 bytes, 8 x87
 * controls, then SSE's 8 xmm registers of 16 bytes and mxcsr.
 */
const X86_32_G_BYTES = 16 * 4 + 8 * 10 + 8 * 4 + 8 * 16 + 4;

let stub: Stub | undefined;
let client: RspClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await stub?.stop();
  stub = undefined;
});

async function connect(): Promise<RspClient> {
  stub = await startStub(HELLO);
  client = await RspClient.connect(stub.server.port);
  return client;
}

/** The stub is still well: it reports the stop and the registers. */
async function expectHealthy(rsp: RspClient): Promise<void> {
  expect(await rsp.request('?')).toMatch(/^T05thread:p1\.1;/);
  const registers = await rsp.request('g');
  expect(registers).toMatch(/^[0-9a-fx]+$/);
  expect(registers).toHaveLength(2 * X86_32_G_BYTES);
}

describe('gdb stub protocol', () => {
  it('answers the handshake gdb sends', async () => {
    const rsp = await connect();
    expect(await rsp.request('qSupported:multiprocess+;swbreak+;xmlRegisters=i386')).toBe(
      'PacketSize=4000;qXfer:features:read+;multiprocess+;QStartNoAckMode+;swbreak+;vContSupported+;qXfer:exec-file:read+;ReverseStep+;ReverseContinue+');
    expect(await rsp.request('qfThreadInfo')).toBe('mp1.1,p1.2,p2.1,p2.2');
    expect(await rsp.request('qsThreadInfo')).toBe('l');
    expect(await rsp.request('qC')).toBe('QCp1.1');
    expect(await rsp.request('qAttached:1')).toBe('1');
    expect(await rsp.request('vCont?')).toBe('vCont;c;C;s;S');
    const whole = await rsp.request('qXfer:features:read:target.xml:0,4000');
    expect(whole).toMatch(/^l<\?xml version="1.0"\?><!DOCTYPE target SYSTEM "gdb-target.dtd">/);
    expect(whole).toContain('<architecture>i386</architecture>');
    expect(await rsp.request('qXfer:features:read:target.xml:0,40')).toBe(`m${whole.slice(1, 0x41)}`);
    expect(await rsp.request(`qXfer:features:read:target.xml:40,${(whole.length - 0x41).toString(16)}`)).toBe(`l${whole.slice(0x41)}`);
    expect(await rsp.request('Hgp2.1')).toBe('OK');
    expect(await rsp.request('qXfer:features:read:target.xml:0,4000')).toContain('<architecture>i386:x86-64</architecture>');
    expect(await rsp.request('qXfer:features:read:target.xml:fffff,10')).toBe('l');
  });

  it('NAKs a wrong checksum and resends its last reply on a NAK', async () => {
    const rsp = await connect();
    rsp.write('$g#00');
    expect((await rsp.next()).kind).toBe('nak');
    expect(await rsp.request('qC')).toBe('QCp1.1');
    rsp.write('-');
    expect(await rsp.reply()).toBe('QCp1.1');
    await expectHealthy(rsp);
  });

  it('skips garbage and cut-off packets, and refuses oversized ones', async () => {
    const rsp = await connect();
    rsp.write('garbage}#\r\n$m1000');
    expect(await rsp.request('qC')).toBe('QCp1.1');
    const huge = `m${'0'.repeat(PACKET_SIZE + 16)}`;
    rsp.write(frame(huge));
    expect(await rsp.reply()).toBe('E01');
    rsp.write('$#zz');
    expect((await rsp.next()).kind).toBe('nak');
    await expectHealthy(rsp);
  });

  it('gives the empty reply to packets it does not know', async () => {
    const rsp = await connect();
    for (const body of ['qFooBar', 'QFoo:1', 'vFoo;1', 'X110000,0:', 'j', 'Z9,110000,1']) {
      expect(await rsp.request(body)).toBe('');
    }
    await expectHealthy(rsp);
  });

  it('gives error replies to bad threads, registers, memory and breakpoints', async () => {
    const rsp = await connect();
    const cases: [string, string][] = [
      ['p999', 'E02'], ['pzz', 'E01'], ['P0=zz', 'E01'], ['P0=00', 'E01'], ['P999=00000000', 'E02'],
      ['G00', 'E01'],
      ['m0,4', 'E03'], ['mzz,4', 'E01'], ['m100000', 'E01'], ['m100000,4,4', 'E01'],
      ['M0,1:00', 'E03'], ['M220000,2:00', 'E01'], ['M220000,1:zz', 'E01'],
      ['Hgp9.1', 'E02'], ['Hgzz', 'E01'], ['Hx0', 'E01'], ['Tp1.9', 'E02'], ['Tq', 'E01'],
      ['qThreadExtraInfo,p7.7', 'E02'],
      ['Z0,zz,1', 'E01'], ['z0,110000,1', 'E02'], ['Z2,220000,0', 'E01'],
      ['vCont;x', 'E01'], ['vCont;s:pzz', 'E01'], ['vCont;', 'E01'], ['czz', 'E01'], ['D1', 'E01'],
      ['vKill;zz', 'E01'], ['vKill;9', 'E02'],
      ['qXfer:features:read:other.xml:0,100', 'E02'], ['qXfer:features:read:target.xml:zz', 'E01'],
    ];
    for (const [body, error] of cases) expect(`${body} -> ${await rsp.request(body)}`).toBe(`${body} -> ${error}`);
    await expectHealthy(rsp);
  });

  it('moves the core to the address of a legacy c before it runs', async () => {
    const rsp = await connect();
    expect(await rsp.request('s')).toMatch(/^T05thread:p1\.1;/);
    expect(await rsp.request('p8')).not.toBe('00201000');
    expect(await rsp.request('Z0,102000,1')).toBe('OK');
    // Any core of node 0 may reach the breakpoint first; p1.1 was moved onto it either way.
    expect(await rsp.request('c102000')).toMatch(/^T05thread:p1\.\d;swbreak:;$/);
    expect(await rsp.request('Hgp1.1')).toBe('OK');
    expect(await rsp.request('p8')).toBe('00201000');
    await expectHealthy(rsp);
  });

  it('moves a core when gdb writes its pc (jump)', async () => {
    const rsp = await connect();
    const before = await rsp.request('p8');
    expect(await rsp.request('P8=00201000')).toBe('OK');
    expect(await rsp.request('p8')).toBe('00201000');
    expect(await rsp.request(`P8=${before}`)).toBe('OK');
    expect(await rsp.request('p8')).toBe(before);
    await expectHealthy(rsp);
  });

  it('reads and writes registers and memory', async () => {
    const rsp = await connect();
    const registers = await rsp.request('g');
    expect(await rsp.request(`G${registers.replace(/x/g, '0')}`)).toBe('OK');
    expect(await rsp.request('P0=05000000')).toBe('OK');
    expect(await rsp.request('p0')).toBe('05000000');
    expect(await rsp.request('p8')).toBe('00201000'); // eip, little-endian 0x102000
    expect(await rsp.request('p10')).toBe('x'.repeat(20)); // st0: Unicorn is not asked for it
    expect(await rsp.request('M220000,4:deadbeef')).toBe('OK');
    expect(await rsp.request('m220000,4')).toBe('deadbeef');
    expect(Buffer.from(stub!.session.core({ node: 0, core: 1 }).readMemory(0x220000, 4)).toString('hex')).toBe('deadbeef');
    // A read running off the end of RAM returns what is there.
    expect(await rsp.request('m4ffffe,4')).toHaveLength(4);
  });

  it('stops acking after QStartNoAckMode', async () => {
    const rsp = await connect();
    expect(await rsp.request('QStartNoAckMode')).toBe('OK');
    rsp.noAcks();
    rsp.write(frame('qC'));
    expect(await rsp.next()).toEqual({ kind: 'packet', body: 'QCp1.1' });
  });
});
