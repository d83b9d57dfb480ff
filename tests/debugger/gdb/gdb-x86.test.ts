import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';
import { TempDir } from '../../support/index.js';

const images = new TempDir('clustervm-gdb-x86');
afterAll(() => images.cleanup());

// images/hello-x86.json: node 0 is x86-32, node 1 x86-64, two cores each. gdb fetches
// a target description for the first process only; `inferior 2` then `unset tdesc
// filename` makes it fetch process 2's (the stub answers per Hg process).
const HELLO = 'images/hello-x86.json';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

/** A little-endian word of node 0 as gdb's x/xw prints it. */
function word(stub: Stub, address: number): string {
  const value = Buffer.from(stub.session.core({ node: 0, core: 0 }).readMemory(address, 4)).readUInt32LE(0);
  return `0x${value.toString(16).padStart(8, '0')}`;
}

describe('gdb against an x86 cluster', () => {
  it('lists every core as a thread, breaks at main, reads registers and memory, steps', async () => {
    stub = await startStub(HELLO);
    const main = stub.address(0, 'hello-x86-32:main');
    const output = await runGdb(stub.server.port, [
      'inferior 2', 'unset tdesc filename', 'inferior 1',
      'info threads',
      `break *${hex(main)}`,
      'continue',
      'info registers eip',
      'print $eax',
      'x/2xw $esp',
      'stepi',
      'info registers eip esp',
      'x/i $pc',
    ]);
    expect(output).toMatch(/1\.1\s+Thread 1\.1 \(n0\.c0 ready\)/);
    expect(output).toMatch(/1\.2\s+Thread 1\.2 \(n0\.c1 ready\)/);
    expect(output).toMatch(/2\.1\s+Thread 2\.1 \(n1\.c0 ready\)\s+0x0000000000102000/);
    expect(output).toMatch(/2\.2\s+Thread 2\.2 \(n1\.c1 ready\)/);
    expect(output).toContain(`Thread 1.1 hit Breakpoint 1, 0x00${main.toString(16)} in main ()`);
    expect(output).toMatch(new RegExp(`eip\\s+${hex(main)}`));
    // entry(node, core) gets the node in eax, and the firmware's call pushed the return address.
    expect(output).toContain('$1 = 0');
    expect(output).toContain(`0x4ffff4:\t${word(stub, 0x4ffff4)}\t0x00000000`);
    expect(output).toMatch(new RegExp(`eip\\s+${hex(main + 1)}[\\s\\S]*esp\\s+0x4ffff0`));
    expect(output).toContain(`=> ${hex(main + 1)} <main+1>:\tpush   %esi`);
    // gdb's stepi stepped one core by one instruction; the others stayed at reset.
    expect(stub.session.core({ node: 0, core: 0 }).pc).toBe(main + 1);
    expect(stub.session.core({ node: 0, core: 1 }).pc).toBe(0x102000);
  });

  it('reads the x86-64 process with its own description and steps it', async () => {
    stub = await startStub(HELLO);
    const output = await runGdb(stub.server.port, [
      'inferior 2', 'unset tdesc filename',
      'info registers rip',
      'stepi',
      'info registers rip',
      'continue',
    ]);
    const stepped = [...output.matchAll(/0x0*([0-9a-f]+) in \?\? \(\)\nrip\s+0x([0-9a-f]+)\s/g)].at(-1);
    expect(output).toMatch(/rip\s+0x102000\s/);
    expect(stepped?.[1]).toBe(stepped?.[2]);
    expect(parseInt(stepped?.[2] ?? '0', 16)).toBeGreaterThan(0x102000);
    // The continue runs process 2 alone (schedule-multiple is off) until its cores exit;
    // process 1 has not run at all.
    expect(output).toContain('[Inferior 2 (process 2) exited normally]');
    expect(stub.console.some((line) => /hello from node 1 core [01]/.test(line))).toBe(true);
    expect(stub.console.some((line) => /hello from node 0/.test(line))).toBe(false);
    expect(stub.session.core({ node: 0, core: 0 }).pc).toBe(0x102000);
  });

  it('stops on a write watchpoint after the write, with the old and new values', async () => {
    const image = images.writeImage('gdb-watch', { nodes: [{
      isa: 'x86-32', cores: 1,
      programs: [{ source: 'main:\n mov ecx, 3\nagain:\n mov dword ptr [USER_DATA], ecx\n dec ecx\n jnz again\n xor eax, eax\n ret\n' }],
    }] });
    stub = await startStub(image);
    const output = await runGdb(stub.server.port, ['watch *(int *)0x220000', 'continue', 'continue', 'info registers ecx']);
    expect(output).toContain('Hardware watchpoint 1: *(int *)0x220000');
    expect(output).toMatch(/Old value = 0\s+New value = 3/);
    expect(output).toMatch(/Old value = 3\s+New value = 2/);
    expect(output).toMatch(/ecx\s+0x2\s/);
  });
});
