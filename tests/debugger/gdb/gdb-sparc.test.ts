import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';

// images/hello-sparc.json: node 0 is sparc32, node 1 sparc64, two cores each. A target
// description carries no byte order and gdb-multiarch defaults to the host's, so
// SPARC needs `set endian big`. gdb steps SPARC in software: a breakpoint at npc and
// a continue of the one thread, which the stub runs as that core alone.
const HELLO = 'images/hello-sparc.json';
const SETUP = ['set endian big'];

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('gdb against a SPARC cluster', () => {
  it('lists every core as a thread, breaks at main, reads registers and memory, steps (sparc32)', async () => {
    stub = await startStub(HELLO);
    const main = stub.address(0, 'hello-sparc32:main');
    const greeting = stub.address(0, 'hello-sparc32:greeting');
    const output = await runGdb(stub.server.port, [
      'inferior 2', 'unset tdesc filename', 'inferior 1',
      'info threads',
      `break *${hex(main)}`,
      'continue',
      'info registers pc npc',
      'print $o1',
      'p/x $sp',
      `x/2xw ${hex(greeting)}`,
      'delete',
      'set scheduler-locking on',
      'stepi',
      'x/i $pc',
      'stepi',
      'stepi',
      'info registers pc o0',
    ], SETUP);
    expect(output).toMatch(/1\.1\s+Thread 1\.1 \(n0\.c0 ready\)\s+0x00102000/);
    expect(output).toMatch(/1\.2\s+Thread 1\.2 \(n0\.c1 ready\)/);
    expect(output).toMatch(/2\.1\s+Thread 2\.1 \(n1\.c0 ready\)\s+0x0000000000102000/);
    expect(output).toMatch(/2\.2\s+Thread 2\.2 \(n1\.c1 ready\)/);
    expect(output).toContain(`Thread 1.1 hit Breakpoint 1, 0x00${main.toString(16)} in main ()`);
    expect(output).toMatch(new RegExp(`pc\\s+${hex(main)}\\s[\\s\\S]*npc\\s+${hex(main + 4)}\\s`));
    // entry(node, core) gets the core in %o1.
    expect(output).toContain('$1 = 0');
    // The firmware set the stack below the top of RAM (4 MiB from 0x100000).
    expect(output).toMatch(/\$2 = 0x4fff[0-9a-f]{2}\n/);
    expect(output).toContain(`${hex(greeting)} <greeting>:\t0x68656c6c\t0x6f206672`); // "hello fr", big-endian
    // main starts with `save`, then `set greeting, %o0` (sethi, or): after three steps
    // the pc is past the pair and %o0 holds the greeting's address.
    expect(output).toContain(`=> ${hex(main + 4)} <main+4>:\tsethi  %hi(`);
    expect(output).toMatch(new RegExp(`pc\\s+${hex(main + 12)}\\s[\\s\\S]*o0\\s+${hex(greeting)}\\s`));
    // Scheduler locking: only the stepped core moved; core 1 has not had its first quantum.
    expect(stub.session.core({ node: 0, core: 1 }).pc).toBe(0x102000);
  });

  it('reads the sparc64 process with its sparc:v9 description', async () => {
    stub = await startStub(HELLO);
    const output = await runGdb(stub.server.port, [
      'inferior 2', 'unset tdesc filename',
      'info registers pc npc',
      'x/i $pc',
      'set scheduler-locking on',
      'stepi',
      'info registers pc',
    ], SETUP);
    expect(output).toMatch(/pc\s+0x102000\s[\s\S]*npc\s+0x102004\s/);
    expect(output).toMatch(/=> 0x102000:\t\w+/);
    expect(output).toMatch(/pc\s+0x102004\s/);
    expect(stub.session.core({ node: 1, core: 0 }).pc).toBe(0x102004);
  });
});
