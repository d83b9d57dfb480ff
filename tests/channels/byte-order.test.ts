// Cross-ISA byte order. An x86 node sends the words 0x01020304 and 0x80000001, stored
// big-endian by the library's convention (bswap before the store), to a SPARC node, which
// reads them with plain loads and reports what it read; it answers with words of its own,
// stored plainly, which the x86 node reads back with bswap and reports. Both must read
// exactly the values the other side meant, and the ring on each node must hold the bytes
// in network (big-endian) order.

import { afterAll, describe, expect, it } from 'vitest';
import { bootImage, RAM_BASE } from '../../emulator/index.js';
import { PAYLOAD_OFFSET, RING_SLOTS } from '../../guest-kernel/channels/ring-format.js';
import type { IsaName } from '../../isa/index.js';
import { ChanDir, coreOf, describeCores } from './support/chan-image.js';
import { reported } from './support/chan-programs.js';

const dir = new ChanDir();
afterAll(() => dir.remove());

const X86_WORDS = [0x0102_0304, 0x8000_0001] as const;
const SPARC_WORDS = [0xa0b0_c0d0, 0x7fff_fffe] as const;

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Sends X86_WORDS on channel 0, receives on channel 1, reports (word 0, word 1) as read. */
function x86Side(isa: IsaName): string {
  if (isa === 'x86-32') {
    return `
.extern chan_send_wait, chan_recv_wait
main:
    push  ebx
    sub   esp, 64
    mov   eax, ${hex(X86_WORDS[0])}
    bswap eax
    mov   dword ptr [esp], eax
    mov   eax, ${hex(X86_WORDS[1])}
    bswap eax
    mov   dword ptr [esp + 4], eax
    mov   eax, esp
    push  eax
    push  0
    call  chan_send_wait
    add   esp, 8
    mov   dword ptr [esp], 0
    mov   dword ptr [esp + 4], 0
    mov   eax, esp
    push  eax
    push  1
    call  chan_recv_wait
    add   esp, 8
    mov   ebx, dword ptr [esp]
    bswap ebx
    mov   ecx, dword ptr [esp + 4]
    bswap ecx
    mov   eax, SYS_REPORT
    int   0x80
    add   esp, 64
    xor   eax, eax
    pop   ebx
    ret
`;
  }
  return `
.extern chan_send_wait, chan_recv_wait
main:
    push  rbx
    sub   rsp, 64
    mov   eax, ${hex(X86_WORDS[0])}
    bswap eax
    mov   dword ptr [rsp], eax
    mov   eax, ${hex(X86_WORDS[1])}
    bswap eax
    mov   dword ptr [rsp + 4], eax
    mov   edi, 0
    mov   rsi, rsp
    call  chan_send_wait
    mov   dword ptr [rsp], 0
    mov   dword ptr [rsp + 4], 0
    mov   edi, 1
    mov   rsi, rsp
    call  chan_recv_wait
    mov   edi, dword ptr [rsp]
    bswap edi
    mov   esi, dword ptr [rsp + 4]
    bswap esi
    mov   eax, SYS_REPORT
    int   0x80
    add   rsp, 64
    xor   eax, eax
    pop   rbx
    ret
`;
}

/** Receives on channel 0 with plain loads, reports them, answers SPARC_WORDS on channel 1. */
const SPARC_SIDE = `
.extern chan_send_wait, chan_recv_wait
main:
    mov   %o7, %l7
    set   USER_DATA, %l1
    mov   0, %o0
    call  chan_recv_wait
    mov   %l1, %o1
    ld    [%l1], %o0
    ld    [%l1 + 4], %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    set   ${hex(SPARC_WORDS[0])}, %o2
    st    %o2, [%l1]
    set   ${hex(SPARC_WORDS[1])}, %o2
    st    %o2, [%l1 + 4]
    mov   1, %o0
    call  chan_send_wait
    mov   %l1, %o1
    mov   %l7, %o7
    retl
    clr   %o0
`;

const PAIRS: readonly (readonly [IsaName, IsaName])[] = [['x86-32', 'sparc32'], ['x86-64', 'sparc64'], ['x86-32', 'sparc64']];

describe.concurrent('x86 and SPARC nodes read the same words', () => {
  it.each(PAIRS)('%s node and %s node', async (x86, sparc) => {
    const path = dir.write(`byte-order-${x86}-${sparc}`, {
      interconnect: { latencyNs: 5_000, bandwidthMbps: 1000 },
      channels: [{ from: [0, 0], to: [1, 0], slots: 4, window: 2 }, { from: [1, 0], to: [0, 0], slots: 4, window: 2 }],
      nodes: [
        { isa: x86, cores: 1, programs: [{ name: 'x86', source: x86Side(x86) }] },
        { isa: sparc, cores: 1, programs: [{ name: 'sparc', source: SPARC_SIDE }] },
      ],
    });
    const cluster = await bootImage(path, { maxInstructions: 1_000_000, console: () => {} });
    try {
      const cores = cluster.run({ quantum: 10_000 });
      for (const core of cores) expect([core.status, core.exitStatus, core.faults], describeCores(cores)).toEqual(['exited', 0, 0]);
      expect(coreOf(cores, 1, 0).result, 'the SPARC node read the x86 words').toBe(reported(X86_WORDS[0], X86_WORDS[1]));
      expect(coreOf(cores, 0, 0).result, 'the x86 node read the SPARC words').toBe(reported(SPARC_WORDS[0], SPARC_WORDS[1]));
      // Message 1 of each channel sits in slot 0 of its ring, on the receiving node, big-endian.
      const [toSparc, toX86] = cluster.kernel.channels!.report();
      const payload = (node: number, ring: number) => {
        const at = ring + RING_SLOTS + PAYLOAD_OFFSET - RAM_BASE;
        return [...cluster.node(node).ram.subarray(at, at + 8)];
      };
      expect(payload(1, toSparc!.spec.ring)).toEqual([0x01, 0x02, 0x03, 0x04, 0x80, 0x00, 0x00, 0x01]);
      expect(payload(0, toX86!.spec.ring)).toEqual([0xa0, 0xb0, 0xc0, 0xd0, 0x7f, 0xff, 0xff, 0xfe]);
      for (const { stats } of [toSparc!, toX86!]) expect([stats.sentMessages, stats.receivedMessages]).toEqual([1, 1]);
    } finally {
      cluster.close();
    }
  });
});
