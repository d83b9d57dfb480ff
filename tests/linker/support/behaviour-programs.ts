// Guest sources for the linker behaviour suites, one flavour per ISA. Every program is a
// real assembly source that keystone assembles at load time; the instruction counts the
// suites assert follow from the loops written here (see LOOP_BODY and the comments).
//
// Calling conventions (README "Boot and trap ABI"): x86-32 main gets node in eax and
// core in edx, x86-64 edi/esi, SPARC %o0/%o1. Linkage code clobbers eax (x86-32), r11
// (x86-64), %g1/%g5 (SPARC), so no argument travels there. SPARC code is flat (no save):
// the return address lives in a local register.

import type { IsaName } from '../../../isa/index.js';
import { flavourOf, syscall } from '../../support/index.js';

export { fooModule, sumMain } from '../../support/call-programs.js';

/**
 * Instructions one iteration of sumMain's loop retires when foo is bound immediate:
 *   x86-32: push esi; call foo; [foo: mov; inc; ret]; add esp; add ebx; inc esi; cmp; jb = 10
 *   x86-64: mov edi; call foo; [foo: lea; ret]; add r12; inc ebx; cmp; jb               =  8
 *   SPARC:  call foo; mov (delay); [foo: retl; add (delay)]; add; add; cmp; bne; nop     =  9
 */
export const LOOP_BODY: Readonly<Record<IsaName, number>> = { 'x86-32': 10, 'x86-64': 8, sparc32: 9, sparc64: 9 };

/**
 * Extra instructions of one call through the mediator (weak binding), over a direct call:
 *   x86:   stub `mov eax|r11d, index; jmp mediator` (2) + mediator `shl; inc count; cmp allowed; je; jmp [table]` (5) = 7
 *   SPARC: stub `ba mediator; or %g0, index, %g1` (2) + mediator `sll; sethi; add; ld; add; st` (count, 6)
 *          + `ld; cmp; be; ld (delay); jmp; nop` (lookup, 6) = 14
 */
export const WEAK_EXTRA: Readonly<Record<IsaName, number>> = { 'x86-32': 7, 'x86-64': 7, sparc32: 14, sparc64: 14 };

/**
 * Extra instructions of the first call of a fail-safe reference, over a direct call:
 *   x86:   stub `mov; jmp failsafe` (2) + `int 0x81; shl; jmp [table]` (3) = 5
 *   SPARC: stub `ba failsafe; or` (2) + `ta 0x11; sll; sethi; add; ld; jmp; nop` (7) = 9
 */
export const FAILSAFE_EXTRA: Readonly<Record<IsaName, number>> = { 'x86-32': 5, 'x86-64': 5, sparc32: 9, sparc64: 9 };

/** Per-core record in USER_DATA: calls at +0, seq at +4, lwp at +8 (16 bytes a core). */
export const RECORD_BYTES = 16;
export const RECORD_FIELDS = { calls: 0, seq: 4, lwp: 8 } as const;

/**
 * main: spins 3*core+1 times (so the cores' loops run out of phase), then k times:
 * calls[core]++, then f(&record[core]). The record's address travels in ecx (x86-32,
 * not the scratch eax), rdi (x86-64) or %o0 (SPARC). Exits 0. A jump ends the block
 * after the count, so that a quantum (which ends at a block start) can fall between
 * the count and the call; on SPARC a conditional one, since Unicorn translates on
 * through a `ba`.
 */
export function counterMain(isa: IsaName, k: number): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern f
main:
    push  ebx
    push  esi
    mov   ebx, USER_DATA
    mov   ecx, edx
    shl   ecx, 4
    add   ebx, ecx
    lea   ecx, [edx + edx*2 + 1]
spin:
    dec   ecx
    jnz   spin
    mov   esi, ${k}
next:
    inc   dword ptr [ebx]
    mov   ecx, ebx
    jmp   call_site
call_site:
    call  f
    dec   esi
    jnz   next
    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64':
      return `
.extern f
main:
    push  rbx
    push  r12
    mov   ebx, USER_DATA
    mov   ecx, esi
    shl   ecx, 4
    add   rbx, rcx
    lea   ecx, [rsi + rsi*2 + 1]
spin:
    dec   ecx
    jnz   spin
    mov   r12d, ${k}
next:
    inc   dword ptr [rbx]
    mov   rdi, rbx
    jmp   call_site
call_site:
    call  f
    dec   r12d
    jnz   next
    xor   eax, eax
    pop   r12
    pop   rbx
    ret
`;
    case 'sparc':
      return `
.extern f
main:
    mov   %o7, %l7
    set   USER_DATA, %l0
    sll   %o1, 4, %l1
    add   %l0, %l1, %l0
    sll   %o1, 1, %l3
    add   %l3, %o1, %l3
    add   %l3, 1, %l3
spin:
    subcc %l3, 1, %l3
    bne   spin
    nop
    set   ${k}, %l2
next:
    ld    [%l0], %l1
    add   %l1, 1, %l1
    st    %l1, [%l0]
    cmp   %g0, %g0
    be    call_site
    nop
call_site:
    call  f
    mov   %l0, %o0
    subcc %l2, 1, %l2
    bne   next
    nop
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

/**
 * One alternative of f: increments the record's field at `field` (seq or lwp) and returns.
 * On x86 the increment is f's first instruction; SPARC needs ld/add/st, and the word is
 * written by the st at f + PENDING_UNTIL. `padBytes` of zeros follow the code.
 */
export function counterImpl(isa: IsaName, field: number, padBytes = 0): string {
  const pad = padBytes > 0 ? `    .space ${padBytes}\n` : '';
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.globl f
f:
    inc   dword ptr [ecx + ${field}]
    ret
${pad}`;
    case 'x86-64':
      return `
.globl f
f:
    inc   dword ptr [rdi + ${field}]
    ret
${pad}`;
    case 'sparc':
      return `
.globl f
f:
    ld    [%o0 + ${field}], %o1
    add   %o1, 1, %o1
    st    %o1, [%o0 + ${field}]
    retl
    nop
${pad}`;
  }
}

/**
 * A core whose pc lies in [f, f + PENDING_UNTIL] has entered an alternative of f but not
 * yet written its counter: it finishes in that alternative whatever the linker does.
 */
export const PENDING_UNTIL: Readonly<Record<IsaName, number>> = { 'x86-32': 0, 'x86-64': 0, sparc32: 8, sparc64: 8 };

/** main: reports 42, then calls `missing` (at call_site), which no module exports. */
export function missingMain(isa: IsaName): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern missing
main:
    push  ebx
    mov   eax, SYS_REPORT
    mov   ebx, 42
    xor   ecx, ecx
    int   0x80
call_site:
    call  missing
    pop   ebx
    xor   eax, eax
    ret
`;
    case 'x86-64':
      return `
.extern missing
main:
    push  rbx
    mov   eax, SYS_REPORT
    mov   edi, 42
    xor   esi, esi
    int   0x80
call_site:
    call  missing
    pop   rbx
    xor   eax, eax
    ret
`;
    case 'sparc':
      return `
.extern missing
main:
    mov   %o7, %l7
    mov   42, %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}call_site:
    call  missing
    nop
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

/**
 * main: a = sum of foo(i), i < mainCalls, reported (lo = a, hi = 0); then b = helper(),
 * and reports again (lo = a, hi = b). Exits 0.
 */
export function mainWithHelper(isa: IsaName, mainCalls: number): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern foo, helper
main:
    push  ebx
    push  esi
    xor   ebx, ebx
    xor   esi, esi
next:
    push  esi
    call  foo
    add   esp, 4
    add   ebx, eax
    inc   esi
    cmp   esi, ${mainCalls}
    jb    next
    mov   eax, SYS_REPORT
    xor   ecx, ecx
    int   0x80
    call  helper
    mov   ecx, eax
${syscall(isa, 'SYS_REPORT')}    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64':
      return `
.extern foo, helper
main:
    push  rbx
    push  r12
    xor   ebx, ebx
    xor   r12d, r12d
next:
    mov   edi, ebx
    call  foo
    add   r12, rax
    inc   ebx
    cmp   ebx, ${mainCalls}
    jb    next
    mov   eax, SYS_REPORT
    mov   rdi, r12
    xor   esi, esi
    int   0x80
    call  helper
    mov   esi, eax
    mov   eax, SYS_REPORT
    mov   rdi, r12
    int   0x80
    xor   eax, eax
    pop   r12
    pop   rbx
    ret
`;
    case 'sparc':
      return `
.extern foo, helper
main:
    mov   %o7, %l7
    clr   %l0
    clr   %l1
    set   ${mainCalls}, %l2
next:
    call  foo
    mov   %l1, %o0
    add   %l0, %o0, %l0
    add   %l1, 1, %l1
    cmp   %l1, %l2
    bne   next
    nop
    mov   %l0, %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}    call  helper
    nop
    mov   %o0, %o1
    mov   %l0, %o0
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

/** helper(): returns the sum of foo(i), i < calls; its call of foo sits at call_site. */
export function helperModule(isa: IsaName, calls: number): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern foo
.globl helper
helper:
    push  ebx
    push  esi
    xor   ebx, ebx
    xor   esi, esi
hnext:
    push  esi
call_site:
    call  foo
    add   esp, 4
    add   ebx, eax
    inc   esi
    cmp   esi, ${calls}
    jb    hnext
    mov   eax, ebx
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64':
      return `
.extern foo
.globl helper
helper:
    push  rbx
    push  r12
    xor   ebx, ebx
    xor   r12d, r12d
hnext:
    mov   edi, ebx
call_site:
    call  foo
    add   r12, rax
    inc   ebx
    cmp   ebx, ${calls}
    jb    hnext
    mov   rax, r12
    pop   r12
    pop   rbx
    ret
`;
    case 'sparc':
      // Flat code shares the caller's locals: main keeps %l0-%l2 and %l7, helper uses %l3-%l6.
      return `
.extern foo
.globl helper
helper:
    mov   %o7, %l6
    clr   %l3
    clr   %l4
    set   ${calls}, %l5
hnext:
call_site:
    call  foo
    mov   %l4, %o0
    add   %l3, %o0, %l3
    add   %l4, 1, %l4
    cmp   %l4, %l5
    bne   hnext
    nop
    mov   %l3, %o0
    mov   %l6, %o7
    retl
    nop
`;
  }
}

/** main for cores that only spin: 256 * core iterations, then exit 0. */
export function spinMain(isa: IsaName): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
main:
    mov   ecx, edx
    shl   ecx, 8
spin:
    dec   ecx
    jnz   spin
    xor   eax, eax
    ret
`;
    case 'x86-64':
      return `
main:
    mov   ecx, esi
    shl   ecx, 8
spin:
    dec   ecx
    jnz   spin
    xor   eax, eax
    ret
`;
    case 'sparc':
      return `
main:
    sll   %o1, 8, %o2
spin:
    subcc %o2, 1, %o2
    bne   spin
    nop
    retl
    clr   %o0
`;
  }
}
