// Guest sources for the channel suites, one flavour per ISA family. Every program is real
// assembly that keystone assembles at load time and links against the guest library
// images/lib/chan-<isa>.s (chan_send, chan_recv_wait, ...).
//
// Message format (the library's convention, guest-kernel/channels/ring-format.ts): 60
// payload bytes, every word big-endian, so x86 code bswaps each word it stores or loads.
// The producer's message n (n = 1..K) carries
//   word 0      = n                      (the sequence number)
//   word j      = n * MIX + j, j = 1..14 (a checksum word per position)
// The consumer receives K messages and counts those that carry the next sequence number
// with every checksum word right ("in order"); it also sums word 1 of every message it
// received, whatever its content. It reports lo = in-order count, hi = that sum.
// The producer reports lo = the number of times chan_send returned 0 (ring or window full).
//
// Registers: x86-32 module calls are cdecl and eax is the linkage scratch register;
// x86-64 passes rdi/rsi and r11 is scratch; SPARC is flat (no save), %g1/%g5 are linkage
// scratch and the library clobbers %o0-%o5, %g2-%g4, %g6, so these programs keep their
// state in %l0-%l7. SPARC buffers live in USER_DATA (256 bytes per core), x86 buffers on
// the stack.

import type { IsaName } from '../../../isa/index.js';
import { flavourOf, syscall, type LibFlavour } from '../../support/index.js';

/** Multiplier of the checksum words (FNV's 32-bit prime: a positive imm32 on x86). */
const MIX = 0x0100_0193;

/** Payload word j of message n, as an unsigned 32-bit value. */
function payloadWord(n: number, j: number): number {
  return j === 0 ? n >>> 0 : (Math.imul(n, MIX) + j) >>> 0;
}

/** The consumer's hi word after K in-order messages: sum of word 1 over n = 1..K, mod 2^32. */
export function checksumOf(k: number): number {
  let sum = 0;
  for (let n = 1; n <= k; n++) sum = (sum + payloadWord(n, 1)) >>> 0;
  return sum;
}

/** The value SYS_REPORT(lo, hi) shows in a core summary (a signed 64-bit decimal). */
export function reported(lo: number, hi: number): string {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

/** Splits a core's reported result into its two 32-bit halves. */
export function halves(result: string | null): { lo: number; hi: number } {
  if (result === null) throw new Error('the core reported nothing');
  const value = BigInt.asUintN(64, BigInt(result));
  return { lo: Number(value & 0xffff_ffffn), hi: Number(value >> 32n) };
}

/**
 * Sends messages 1..k on channel `channel` with chan_send; each time it returns 0 the
 * producer counts the refusal and waits with SYS_CHAN_WAIT (what chan_send_wait does,
 * but counted). Reports the refusals.
 */
export function producer(isa: IsaName, channel: number, k: number): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern chan_send
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    sub   esp, 64
    mov   esi, 1
    xor   edi, edi
fill:
    mov   eax, esi
    bswap eax
    mov   dword ptr [esp], eax
    mov   ebx, esi
    imul  ebx, ebx, ${MIX}
    mov   ecx, 1
fill_word:
    lea   eax, [ebx + ecx]
    bswap eax
    mov   dword ptr [esp + ecx*4], eax
    inc   ecx
    cmp   ecx, 15
    jb    fill_word
send:
    mov   eax, esp
    push  eax
    push  ${channel}
    call  chan_send
    add   esp, 8
    test  eax, eax
    jnz   sent
    inc   edi
    mov   eax, SYS_CHAN_WAIT
    mov   ebx, ${channel}
    int   0x80
    jmp   send
sent:
    inc   esi
    cmp   esi, ${k}
    jbe   fill
    mov   eax, SYS_REPORT
    mov   ebx, edi
    xor   ecx, ecx
    int   0x80
    add   esp, 64
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64':
      return `
.extern chan_send
main:
    push  rbx
    push  r12
    push  r13
    sub   rsp, 64
    mov   r12d, 1
    xor   r13d, r13d
fill:
    mov   eax, r12d
    bswap eax
    mov   dword ptr [rsp], eax
    imul  ebx, r12d, ${MIX}
    mov   ecx, 1
fill_word:
    lea   eax, [rbx + rcx]
    bswap eax
    mov   dword ptr [rsp + rcx*4], eax
    inc   ecx
    cmp   ecx, 15
    jb    fill_word
send:
    mov   edi, ${channel}
    mov   rsi, rsp
    call  chan_send
    test  eax, eax
    jnz   sent
    inc   r13d
    mov   eax, SYS_CHAN_WAIT
    mov   edi, ${channel}
    int   0x80
    jmp   send
sent:
    inc   r12d
    cmp   r12d, ${k}
    jbe   fill
    mov   eax, SYS_REPORT
    mov   edi, r13d
    xor   esi, esi
    int   0x80
    add   rsp, 64
    xor   eax, eax
    pop   r13
    pop   r12
    pop   rbx
    ret
`;
    case 'sparc':
      return `
.extern chan_send
main:
    mov   %o7, %l7
    set   USER_DATA, %l1
    sll   %o1, 8, %l0
    add   %l1, %l0, %l1
    mov   1, %l0
    clr   %l2
    set   ${MIX}, %l4
    set   ${k}, %l6
fill:
    st    %l0, [%l1]
    umul  %l0, %l4, %l3
    srl   %l3, 0, %l3
    mov   1, %l5
fill_word:
    add   %l3, %l5, %o2
    sll   %l5, 2, %o3
    st    %o2, [%l1 + %o3]
    add   %l5, 1, %l5
    cmp   %l5, 15
    bne   fill_word
    nop
send:
    mov   ${channel}, %o0
    call  chan_send
    mov   %l1, %o1
    cmp   %o0, 0
    bne   sent
    nop
    add   %l2, 1, %l2
    mov   ${channel}, %o0
${syscall(isa, 'SYS_CHAN_WAIT')}    ba    send
    nop
sent:
    add   %l0, 1, %l0
    cmp   %l0, %l6
    bleu  fill
    nop
    mov   %l2, %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

/** recv_poll(id, buffer): chan_recv until it returns 1, yielding the quantum in between. */
const POLL: Readonly<Record<LibFlavour, string>> = {
  'x86-32': `
recv_poll:
    push  dword ptr [esp + 8]
    push  dword ptr [esp + 8]
    call  chan_recv
    add   esp, 8
    test  eax, eax
    jnz   recv_poll_done
${syscall('x86-32', 'SYS_YIELD')}    jmp   recv_poll
recv_poll_done:
    ret
`,
  'x86-64': `
recv_poll:
    push  rdi
    push  rsi
    sub   rsp, 8
recv_poll_again:
    mov   rdi, qword ptr [rsp + 16]
    mov   rsi, qword ptr [rsp + 8]
    call  chan_recv
    test  eax, eax
    jnz   recv_poll_done
${syscall('x86-64', 'SYS_YIELD')}    jmp   recv_poll_again
recv_poll_done:
    add   rsp, 24
    ret
`,
  sparc: `
recv_poll:
    mov   %o7, %g6
    mov   %o0, %g2
    mov   %o1, %g3
recv_poll_again:
    mov   %g2, %o0
    call  chan_recv
    mov   %g3, %o1
    cmp   %o0, 0
    bne   recv_poll_done
    nop
${syscall('sparc32', 'SYS_YIELD')}    ba    recv_poll_again
    nop
recv_poll_done:
    jmp   %g6 + 8
    nop
`,
};

export interface ConsumerOptions {
  /** Iterations of a spin loop after each message: a slow reader. */
  readonly delay?: number;
  /**
   * Receive with chan_recv and SYS_YIELD while the ring is empty instead of
   * chan_recv_wait, so the receiver never blocks in SYS_CHAN_WAIT.
   */
  readonly poll?: boolean;
}

/**
 * Receives k messages on channel `channel` with chan_recv_wait (or by polling) and checks
 * each (see the header). Reports lo = in-order messages, hi = sum of word 1 of every
 * message received.
 */
export function consumer(isa: IsaName, channel: number, k: number, options: ConsumerOptions = {}): string {
  const delay = options.delay ?? 0;
  const receive = options.poll ? 'recv_poll' : 'chan_recv_wait';
  const extern = `.extern ${options.poll ? 'chan_recv' : 'chan_recv_wait'}`;
  const poll = options.poll ? POLL[flavourOf(isa)] : '';
  switch (flavourOf(isa)) {
    case 'x86-32': {
      const spin = delay > 0 ? `
    mov   ecx, ${delay}
spin:
    dec   ecx
    jnz   spin` : '';
      return `
${extern}
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    sub   esp, 64
    mov   esi, 1
    xor   edi, edi
    xor   ebp, ebp
recv:
    mov   eax, esp
    push  eax
    push  ${channel}
    call  ${receive}
    add   esp, 8
    mov   eax, dword ptr [esp + 4]
    bswap eax
    add   ebp, eax
    mov   eax, dword ptr [esp]
    bswap eax
    cmp   eax, esi
    jne   checked
    mov   ebx, esi
    imul  ebx, ebx, ${MIX}
    mov   ecx, 1
check:
    mov   eax, dword ptr [esp + ecx*4]
    bswap eax
    sub   eax, ecx
    cmp   eax, ebx
    jne   checked
    inc   ecx
    cmp   ecx, 15
    jb    check
    inc   edi
checked:${spin}
    inc   esi
    cmp   esi, ${k}
    jbe   recv
    mov   eax, SYS_REPORT
    mov   ebx, edi
    mov   ecx, ebp
    int   0x80
    add   esp, 64
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
${poll}`;
    }
    case 'x86-64': {
      const spin = delay > 0 ? `
    mov   ecx, ${delay}
spin:
    dec   ecx
    jnz   spin` : '';
      return `
${extern}
main:
    push  rbx
    push  r12
    push  r13
    push  r14
    sub   rsp, 64
    mov   r12d, 1
    xor   r13d, r13d
    xor   r14d, r14d
recv:
    mov   edi, ${channel}
    mov   rsi, rsp
    call  ${receive}
    mov   eax, dword ptr [rsp + 4]
    bswap eax
    add   r14d, eax
    mov   eax, dword ptr [rsp]
    bswap eax
    cmp   eax, r12d
    jne   checked
    imul  ebx, r12d, ${MIX}
    mov   ecx, 1
check:
    mov   eax, dword ptr [rsp + rcx*4]
    bswap eax
    sub   eax, ecx
    cmp   eax, ebx
    jne   checked
    inc   ecx
    cmp   ecx, 15
    jb    check
    inc   r13d
checked:${spin}
    inc   r12d
    cmp   r12d, ${k}
    jbe   recv
    mov   eax, SYS_REPORT
    mov   edi, r13d
    mov   esi, r14d
    int   0x80
    add   rsp, 64
    xor   eax, eax
    pop   r14
    pop   r13
    pop   r12
    pop   rbx
    ret
${poll}`;
    }
    case 'sparc': {
      const spin = delay > 0 ? `
    set   ${delay}, %o4
spin:
    subcc %o4, 1, %o4
    bne   spin
    nop` : '';
      return `
${extern}
main:
    mov   %o7, %l7
    set   USER_DATA, %l1
    sll   %o1, 8, %l0
    add   %l1, %l0, %l1
    mov   1, %l0
    clr   %l2
    clr   %l6
    set   ${MIX}, %l4
recv:
    mov   ${channel}, %o0
    call  ${receive}
    mov   %l1, %o1
    ld    [%l1 + 4], %o2
    add   %l6, %o2, %l6
    ld    [%l1], %o2
    cmp   %o2, %l0
    bne   checked
    nop
    umul  %l0, %l4, %l3
    srl   %l3, 0, %l3
    mov   1, %l5
check:
    sll   %l5, 2, %o3
    ld    [%l1 + %o3], %o2
    sub   %o2, %l5, %o2
    cmp   %o2, %l3
    bne   checked
    nop
    add   %l5, 1, %l5
    cmp   %l5, 15
    bne   check
    nop
    add   %l2, 1, %l2
checked:${spin}
    add   %l0, 1, %l0
    set   ${k}, %o3
    cmp   %l0, %o3
    bleu  recv
    nop
    mov   %l2, %o0
    srl   %l6, 0, %o1
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
${poll}`;
    }
  }
}
