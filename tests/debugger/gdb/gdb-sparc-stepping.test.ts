// gdb steps SPARC in software: a breakpoint at npc, then a continue of the one thread.
// Over a call or a branch, npc is the delay slot, so the stub must stop there and say
// where the slot leads (npc = the branch's target) for the next stepi to land on it:
// every stepi is exactly one instruction, on sparc32 and sparc64.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const image = (isa: string) => `tests/debugger/gdb/images/c-chain-${isa}.json`;

/** The instructions `display/i $pc` showed, in order: address and text. */
function shown(output: string): string[] {
  return [...output.matchAll(/^1: x\/i \$pc\n=> (0x[0-9a-f]+) <[^>]+>:\t(.*)$/gm)].map((m) => `${Number(m[1])} ${m[2]!.split(/\s+/)[0]}`);
}

describe('gdb stepi over SPARC delayed transfers', () => {
  it.each([
    // sparc32: work's `ble` (not taken: n = 5) and its slot, then `call step` and its slot.
    { isa: 'sparc32', steps: 14, path: ['orcc', 'ble', 'mov', 'clr', 'clr', 'call', 'mov', 'sethi'] },
    { isa: 'sparc64', steps: 16, path: ['cmp', 'ble,pn', 'mov', 'clr', 'clr', 'call', 'sra', 'sethi'] },
  ])('$isa: through a branch and a call, one instruction per stepi, with npc at the slot', async ({ isa, steps, path }) => {
    stub = await startStub(image(isa));
    const output = await runGdb(stub.server.port, [
      'break work', 'continue', 'delete', 'display/i $pc',
      ...Array<string>(steps).fill('stepi'),
    ]);
    const trail = shown(output);
    const mnemonics = trail.map((line) => line.split(' ')[1]);
    const at = mnemonics.indexOf(path[0]);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(mnemonics.slice(at, at + path.length)).toEqual(path);
    // Each stepi moved by one instruction, except the call's slot, which led to step (at 0x110000).
    const addresses = trail.map((line) => Number(line.split(' ')[0]));
    const call = mnemonics.indexOf('call');
    for (let i = at + 1; i < at + path.length; i++) {
      expect(addresses[i]! - addresses[i - 1]!, `step ${i}`).toBe(i === call + 2 ? 0x110000 - addresses[i - 1]! : 4);
    }
    expect(addresses[call + 2]).toBe(0x110000);
  });

  it('sparc32: in the slot of `call step`, npc is step; nexti over the call returns to work', async () => {
    stub = await startStub(image('sparc32'));
    const output = await runGdb(stub.server.port, [
      'break *0x110040', 'continue', 'delete', 'stepi', 'info registers pc npc o7', 'nexti', 'info registers pc',
    ]);
    expect(output).toMatch(/pc +0x110044 [\s\S]*npc +0x110000 [\s\S]*o7 +0x110040 /);
    expect(output).toMatch(/pc +0x110048 +0x110048 <work\+44>/);
    expect(stub.session.core({ node: 0, core: 0 }).status).toBe('ready');
  });
});
