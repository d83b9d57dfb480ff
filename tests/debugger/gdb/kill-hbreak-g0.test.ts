// Small things gdb users reach for: `kill` ends the node's cores, `hbreak` (Z1) works as
// a breakpoint, as in QEMU, and SPARC's %g0 stays 0 when gdb or the console writes it.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { debugScript, outputs } from '../console/run-debug.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('kill, hbreak and %g0', () => {
  it('x86: kill ends the current node\'s cores; the other node runs on', async () => {
    stub = await startStub('images/hello-x86.json');
    const output = await runGdb(stub.server.port, ['kill']);
    expect(output).toContain('[Inferior 1 (process 1) killed]');
    for (const core of [0, 1]) {
      expect(stub.session.core({ node: 0, core }).summary().fault?.reason).toBe('killed by the debugger');
      expect(stub.session.core({ node: 1, core }).status).toBe('ready');
    }
  });

  it('x86-32: hbreak stops at main like break', async () => {
    stub = await startStub('images/hello-x86.json');
    const main = stub.address(0, 'hello-x86-32:main');
    const output = await runGdb(stub.server.port, [`hbreak *${hex(main)}`, 'continue', 'p/x $pc']);
    expect(output).toMatch(/Hardware assisted breakpoint 1 at 0x[0-9a-f]+/);
    expect(output).toContain(`Thread 1.1 hit Breakpoint 1, 0x${main.toString(16).padStart(8, '0')} in main ()`);
    expect(output).toContain(`$1 = ${hex(main)}`);
  });

  it('sparc32: gdb cannot write %g0, which stays 0', async () => {
    stub = await startStub('images/hello-sparc.json');
    const output = await runGdb(stub.server.port, ['set $g0 = 5', 'p $g0', 'set $g1 = 5', 'p $g1']);
    expect(output).toMatch(/Could not write register "g0"|Cannot write/i);
    expect(output).toContain('$1 = 0');
    expect(output).toContain('$2 = 5');
    expect(stub.session.core({ node: 0, core: 0 }).readRegister('g0')).toBe(0n);
  });

  it('sparc64: the console refuses to set g0', async () => {
    const commands = ['core n1.c0', 'set g0 5', 'set g1 5', 'quit'] as const;
    const [, g0, g1] = outputs(await debugScript('images/hello-sparc.json', commands), commands);
    expect(g0).toEqual(['error: set: g0 always reads 0 on sparc64; it cannot be set']);
    expect(g1).toEqual(['g1 = 0x0000000000000005']);
  });
});
