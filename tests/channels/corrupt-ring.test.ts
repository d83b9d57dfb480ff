// A guest may write anything into its ring: a head or tail no correct sender or receiver
// writes is a fault of the writing core, in one line naming the channel, and the kernel's
// work stays bounded (a tail of 0xffffffff used to walk 4 billion sequence numbers).
// Through the CLI on every ISA: channel 0 runs from n0.c0 to n0.c1 and carries nothing;
// one core stores 0xffffffff into the ring's head or tail, the other core reports 42 and
// exits. Only the writer stops; the channel counts no message.
// The cases call the CLI's main() in this process (a child per run was most of the
// suite's time: Node and tsx start-up); the last test runs the real process once and
// finds the same output and exit code.

import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { outputLines, runCli, TempDir } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
const RING_OFFSET = { head: 0, tail: 64 } as const;
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** Core `writer` stores 0xffffffff at the ring's `field`; the other core reports 42. */
function program(isa: IsaName, writer: number, field: keyof typeof RING_OFFSET): string {
  if (isa.startsWith('sparc')) {
    return `main:
    cmp   %o1, ${writer}
    bne   witness
    nop
    set   CHANNEL_TABLE, %l1
    ld    [%l1], %l2
    mov   -1, %g2
    st    %g2, [%l2 + ${RING_OFFSET[field]}]
witness:
    mov   42, %o0
    clr   %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    clr   %o0
    mov   SYS_EXIT, %g1
    ta    0x10
`;
  }
  const wide = isa === 'x86-64';
  const [core, first, second] = wide ? ['esi', 'edi', 'esi'] : ['edx', 'ebx', 'ecx'];
  return `main:
    cmp   ${core}, ${writer}
    jne   witness
    mov   ebx, CHANNEL_TABLE
    mov   ebx, dword ptr [${wide ? 'rbx' : 'ebx'}]
    bswap ebx
    mov   dword ptr [${wide ? 'rbx' : 'ebx'} + ${RING_OFFSET[field]}], 0xffffffff
witness:
    mov   ${first}, 42
    xor   ${second}, ${second}
    mov   eax, SYS_REPORT
    int   0x80
    xor   ${first}, ${first}
    mov   eax, SYS_EXIT
    int   0x80
`;
}

function image(isa: IsaName, writer: number, field: keyof typeof RING_OFFSET): string {
  const name = `corrupt-${field}-${isa}`;
  tmp.file(`${name}.s`, program(isa, writer, field));
  return tmp.image(`${name}.json`, {
    name,
    channels: [{ from: [0, 0], to: [0, 1], slots: 4 }],
    nodes: [{ isa, cores: 2, programs: [{ source: `${name}.s` }] }],
  });
}

const CASES = [
  { field: 'tail', writer: 1, reason: 'tail written as 4294967295, past the head (0 messages written)' },
  { field: 'head', writer: 0, reason: 'head written as 4294967295, more than its 4 slots ahead of the tail (0)' },
] as const;

describe.each(ISAS)('%s: a corrupt channel ring', (isa) => {
  it.each(CASES)('0xffffffff in the $field stops the writing core with one fault line', async ({ field, writer, reason }) => {
    // A bounded run: the unbounded walk over sequence numbers took tens of seconds (the
    // test's timeout, 60 s, bounds it here).
    const text = await runCliInProcess(['boot', image(isa, writer, field)]);
    expect([text.signal, text.code, text.stderr]).toEqual([null, 1, '']);
    const faults = outputLines(text.stdout).filter((line) => line.includes(' fault at pc '));
    expect(faults).toEqual([expect.stringMatching(new RegExp(
      `^n0\\.c${writer} fault at pc 0x[0-9a-f]+ \\(.+\\): channel 0: corrupt ring: ${reason.replace(/[()]/g, '\\$&')}$`))]);

    const json = JSON.parse((await runCliInProcess(['boot', image(isa, writer, field), '--json'])).stdout) as {
      cores: { core: number; status: string; result: string | null }[];
      channels: { id: number; sent: number; received: number }[];
    };
    expect(json.cores.map((c) => [c.core, c.status, c.result])).toEqual([
      [writer, 'faulted', null], [1 - writer, 'exited', '42'],
    ].sort((a, b) => Number(a[0]) - Number(b[0])));
    expect(json.channels.map((c) => [c.id, c.sent, c.received])).toEqual([[0, 0, 0]]);
  });
});

describe('the real clustervm process', () => {
  it('prints what main() printed in this process, with its exit code', async () => {
    const path = image('sparc32', 1, 'tail');
    const child = await runCli(['boot', path], 40_000);
    expect(child).toEqual(await runCliInProcess(['boot', path]));
    expect(child.code).toBe(1);
  });
});
