// Source-level debugging of C guests with the real gdb-multiarch: the stub names a
// stand-in executable per node (qXfer:exec-file:read) holding the C objects' sections
// and DWARF at the addresses the linker placed them, so gdb needs no `file`, no
// `add-symbol-file` and no `set endian`: it breaks at a line, prints arguments, locals
// and globals, walks the call chain and finishes a call, on every ISA.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ISA_NAMES } from '../../../isa/index.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { startStub, type Stub } from './support/stub.js';

const image = (isa: string) => `tests/debugger/gdb/images/c-chain-${isa}.json`;

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('gdb on C guests', () => {
  it.each(ISA_NAMES)('%s: break at a line, bt, p, info locals, info line and list', async (isa) => {
    stub = await startStub(image(isa));
    const output = await runGdb(stub.server.port, [
      'break chain.c:10',
      'continue', 'continue', 'continue',
      'bt',
      'p x',
      'p total',
      'info locals',
      'info line',
      'list 10,10',
    ]);
    expect(output).toMatch(/Breakpoint 1 at 0x[0-9a-f]+: file chain\.c, line 10\./);
    // The third call: step(2), after step(0) and step(1) added 0 and 2 to total.
    expect(output).toMatch(/Breakpoint 1, step \(x=(x@entry=)?2\) at chain\.c:10\n10\t\ttotal \+= doubled;/);
    expect(output).toMatch(/#0 {2}step \(x=(x@entry=)?2\) at chain\.c:10\n#1 {2}0x[0-9a-f]+ in work \(n=[^)]*\) at chain\.c:1[78]\n#2 {2}0x[0-9a-f]+ in main \(node=[^)]*\) at chain\.c:24/);
    expect(output).toContain('$1 = 2\n$2 = 2\n');
    expect(output).toContain('doubled = 4');
    expect(output).toMatch(/Line 10 of "chain\.c" starts at address 0x[0-9a-f]+ <step\+\d+> and ends at/);
    expect(output).toContain('10\t\ttotal += doubled;\n');
    // The guest has not printed: it stopped in its first call chain.
    expect(stub.console).toEqual([]);
  });

  // sparc64 is left out: gdb 13 unwinds a -mflat sparc64 caller's %sp to the CFA without
  // the 2047 stack bias, so the frame it waits for at the return never matches.
  it.each(['x86-32', 'x86-64', 'sparc32'])('%s: finish returns to the caller with the value', async (isa) => {
    stub = await startStub(image(isa));
    const output = await runGdb(stub.server.port, ['break step', 'continue', 'continue', 'finish', 'p sum']);
    expect(output).toMatch(/Breakpoint 1, step \(x=(x@entry=)?1\) at chain\.c:9/);
    // Back in work, before the sum takes step(1) = 3: it holds step(0) = 1.
    expect(output).toMatch(/in work \(n=(n@entry=)?5\) at chain\.c:1[78]\n[\s\S]*Value returned is \$1 = 3\n\$2 = 1\n/);
  });
});
