// A mixed image with no recipe: images/channels.json has an x86-32 node and a sparc32
// node. The stub names each process's executable (qXfer:exec-file:read), from which
// gdb 13 takes each inferior's architecture and byte order, so registers, memory and
// disassembly are right on both without `set endian` or `unset tdesc filename`.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('gdb on an image of x86 and SPARC nodes', () => {
  it('reads both nodes right and stops the SPARC one at a breakpoint', async () => {
    stub = await startStub('images/channels.json');
    const pong = stub.address(1, 'pong:main');
    const output = await runGdb(stub.server.port, [
      'info inferiors',
      'info registers eip', 'x/i $pc',
      'inferior 2', 'show endian', 'info registers pc npc', 'x/i $pc',
      `break *${hex(pong)}`, 'continue', 'info registers pc npc o0', 'x/i $pc',
      'inferior 1', 'info registers eip', 'x/i $pc',
    ]);
    expect(output).toMatch(/\* 1 +process 1 .*x86-32-[0-9a-f]+\.elf/);
    expect(output).toMatch(/ {2}2 +process 2 .*sparc32-[0-9a-f]+\.elf/);
    // Both at the firmware's entry, each decoded in its own ISA.
    expect(output).toMatch(/eip +0x102000 +0x102000\n=> 0x102000:\tmov +0x18\(%esi\),%eax/);
    expect(output).toContain('The target endianness is set automatically (currently big endian).');
    expect(output).toMatch(/pc +0x102000 +0x102000\nnpc +0x102004 +0x102004\n=> 0x102000:\tld +\[ %g2 \+ 0x18 \], %g4/);
    expect(output).toContain(`Thread 2.1 hit Breakpoint 1, 0x${pong.toString(16).padStart(8, '0')} in main ()`);
    expect(output).toMatch(new RegExp(`pc +${hex(pong)} [\\s\\S]*npc +${hex(pong + 4)} [\\s\\S]*o0 +0x1 +1\\n=> ${hex(pong)} <main>:\\tmov +%o7, %l7`));
    expect(stub.session.core({ node: 1, core: 0 }).pc).toBe(pong);
  });
});
