// The call the linker suites and the flink bench measure: main calls foo(i) = i + 1 for
// i = 0 .. n-1 and reports the sum (n(n+1)/2) with SYS_REPORT, then exits 0. The call
// sits at label call_site. Linkage code clobbers eax (x86-32), r11 (x86-64), %g1/%g5
// (SPARC), so no argument travels there; SPARC code is flat, its return address in %l7.

import type { IsaName } from '../../isa/index.js';
import { flavourOf, syscall } from './guest-kit.js';

/** foo(i) = i + 1, exported. */
export function fooModule(isa: IsaName): string {
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.globl foo
foo:
    mov   eax, dword ptr [esp + 4]
    inc   eax
    ret
`;
    case 'x86-64':
      return `
.globl foo
foo:
    lea   eax, [rdi + 1]
    ret
`;
    case 'sparc':
      return `
.globl foo
foo:
    retl
    add   %o0, 1, %o0
`;
  }
}

export interface SumOptions {
  /**
   * Test the bound before the first call, so that n = 0 calls nothing and runs the same
   * instructions outside the loop as any other n (SPARC then loads n with sethi/or for
   * every n, not with `set`, which is one instruction below 4096 and two above).
   */
  readonly guarded?: boolean;
}

export function sumMain(isa: IsaName, n: number, options: SumOptions = {}): string {
  const guarded = options.guarded ?? false;
  switch (flavourOf(isa)) {
    case 'x86-32':
      return `
.extern foo
main:
    push  ebx
    push  esi
    xor   ebx, ebx
    xor   esi, esi
${guarded ? `    cmp   esi, ${n}\n    jae   done\n` : ''}next:
    push  esi
call_site:
    call  foo
    add   esp, 4
    add   ebx, eax
    inc   esi
    cmp   esi, ${n}
    jb    next
done:
    xor   ecx, ecx
${syscall(isa, 'SYS_REPORT')}    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64':
      return `
.extern foo
main:
    push  rbx
    push  r12
    xor   ebx, ebx
    xor   r12d, r12d
${guarded ? `    cmp   ebx, ${n}\n    jae   done\n` : ''}next:
    mov   edi, ebx
call_site:
    call  foo
    add   r12, rax
    inc   ebx
    cmp   ebx, ${n}
    jb    next
done:
    mov   rdi, r12
    xor   esi, esi
${syscall(isa, 'SYS_REPORT')}    xor   eax, eax
    pop   r12
    pop   rbx
    ret
`;
    case 'sparc':
      return `
.extern foo
main:
    mov   %o7, %l7
    clr   %l0
    clr   %l1
${guarded ? `    sethi %hi(${n}), %l2\n    or    %l2, %lo(${n}), %l2\n    cmp   %l1, %l2\n    be    done\n    nop\n` : `    set   ${n}, %l2\n`}next:
call_site:
    call  foo
    mov   %l1, %o0
    add   %l0, %o0, %l0
    add   %l1, 1, %l1
    cmp   %l1, %l2
    bne   next
    nop
done:
    mov   %l0, %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}
