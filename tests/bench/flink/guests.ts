// Guest sources of the flink benchmark, per ISA, written into temporary images.
//   calls image: main calls foo(i) = i + 1 for i = 0..n-1 (module foo) and reports the sum.
//   re-link image: every core sweeps 56 `call hook` sites until the host raises a stop
//   flag; hook.a counts in the core's first counter word, hook.b in its second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName } from '../../../isa/index.js';

export const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
export const isSparc = (isa: IsaName) => isa.startsWith('sparc');

/** Call sites of `hook` in the re-link image, as many as Linux's static key example has. */
export const HOOK_SITES = 56;
/** USER_DATA offsets of the re-link image: the stop flag, then 16 bytes per core. */
export const STOP_FLAG = 0;
export const COUNTERS = 64;
export const COUNTER_STRIDE = 16;
/** Within a core's counters: calls to hook.a, calls to hook.b, finished sweeps. */
export const COUNTER_A = 0;
export const COUNTER_B = 4;
export const SWEEPS = 8;

// Every loop tests its bound before the first call, so the n = 0 image runs the same
// instructions outside the loop as any other n (its count is the constant subtracted).
function callsMain(isa: IsaName, n: number): string {
  switch (isa) {
    case 'x86-32': return `.extern foo
main:
    push  ebx
    push  esi
    xor   ebx, ebx
    xor   esi, esi
    cmp   esi, ${n}
    jae   done
next:
    push  esi
    call  foo
    add   esp, 4
    add   ebx, eax
    inc   esi
    cmp   esi, ${n}
    jb    next
done:
    mov   eax, SYS_REPORT
    xor   ecx, ecx
    int   0x80
    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;
    case 'x86-64': return `.extern foo
main:
    push  rbx
    push  r12
    xor   ebx, ebx
    xor   r12d, r12d
    cmp   ebx, ${n}
    jae   done
next:
    mov   edi, ebx
    call  foo
    add   r12, rax
    inc   ebx
    cmp   ebx, ${n}
    jb    next
done:
    mov   eax, SYS_REPORT
    mov   rdi, r12
    xor   esi, esi
    int   0x80
    xor   eax, eax
    pop   r12
    pop   rbx
    ret
`;
    default: return `.extern foo
main:
    mov   %o7, %l7
    clr   %l0
    clr   %l1
    sethi %hi(${n}), %l2
    or    %l2, %lo(${n}), %l2
    cmp   %l1, %l2
    be    done
    nop
next:
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
    mov   SYS_REPORT, %g1
    ta    0x10
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

function fooSource(isa: IsaName): string {
  switch (isa) {
    case 'x86-32': return `.globl foo
foo:
    mov   eax, dword ptr [esp + 4]
    inc   eax
    ret
`;
    case 'x86-64': return `.globl foo
foo:
    lea   eax, [rdi + 1]
    ret
`;
    default: return `.globl foo
foo:
    retl
    add   %o0, 1, %o0
`;
  }
}

// The sweep: the core's counter block address stays in a register the trampolines and
// hooks leave alone (x86-32 ebx, x86-64 rbx, SPARC %l3). The x86 hooks use it in place
// (one instruction, `inc dword ptr [reg + counter]`); SPARC passes it in %o0.
function sweepMain(isa: IsaName): string {
  const sites = (site: string) => Array.from({ length: HOOK_SITES }, () => site).join('\n');
  switch (isa) {
    case 'x86-32': return `.extern hook
main:
    push  ebx
    mov   ebx, edx
    shl   ebx, 4
    add   ebx, USER_DATA + ${COUNTERS}
sweep:
${sites('    call  hook')}
    inc   dword ptr [ebx + ${SWEEPS}]
    mov   ecx, USER_DATA
    cmp   dword ptr [ecx + ${STOP_FLAG}], 0
    je    sweep
    xor   eax, eax
    pop   ebx
    ret
`;
    case 'x86-64': return `.extern hook
main:
    push  rbx
    mov   ebx, esi
    shl   ebx, 4
    add   ebx, USER_DATA + ${COUNTERS}
sweep:
${sites('    call  hook')}
    inc   dword ptr [rbx + ${SWEEPS}]
    mov   ecx, USER_DATA
    cmp   dword ptr [rcx + ${STOP_FLAG}], 0
    je    sweep
    xor   eax, eax
    pop   rbx
    ret
`;
    default: return `.extern hook
main:
    mov   %o7, %l7
    sll   %o1, 4, %l3
    set   USER_DATA, %l5
    add   %l3, %l5, %l3
    add   %l3, ${COUNTERS}, %l3
sweep:
${sites('    call  hook\n    mov   %l3, %o0')}
    ld    [%l3 + ${SWEEPS}], %l6
    add   %l6, 1, %l6
    st    %l6, [%l3 + ${SWEEPS}]
    ld    [%l5 + ${STOP_FLAG}], %l6
    cmp   %l6, 0
    be    sweep
    nop
    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
}

function hookSource(isa: IsaName, counter: number): string {
  switch (isa) {
    case 'x86-32': return `.globl hook
hook:
    inc   dword ptr [ebx + ${counter}]
    ret
`;
    case 'x86-64': return `.globl hook
hook:
    inc   dword ptr [rbx + ${counter}]
    ret
`;
    default: return `.globl hook
hook:
    ld    [%o0 + ${counter}], %o1
    add   %o1, 1, %o1
    retl
    st    %o1, [%o0 + ${counter}]
`;
  }
}

const imageDirs: string[] = [];

/** Deletes the temporary folders of every image written so far. */
export function removeImages(): void {
  for (const dir of imageDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function writeImage(name: string, files: Readonly<Record<string, string>>, node: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), `clustervm-bench-${name}-`));
  imageDirs.push(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  const path = join(dir, 'image.json');
  writeFileSync(path, JSON.stringify({ name, nodes: [node] }, null, 2));
  return path;
}

/** One core calling foo n times; `paper` asks for FLink's sethi/jmpl trampolines (SPARC). */
export function writeCallsImage(isa: IsaName, n: number, paper: boolean): string {
  return writeImage(`flink-calls-${isa}-${n}`, { 'main.s': callsMain(isa, n), 'foo.s': fooSource(isa) }, {
    isa, cores: 1,
    programs: [{ source: 'main.s', name: 'main' }],
    modules: [{ name: 'foo', source: 'foo.s' }],
    ...(paper ? { trampolines: 'paper' } : {}),
  });
}

/** Four cores sweeping the 56 hook sites; hook is bound to hook.a (its first provider) at boot. */
export function writeRelinkImage(isa: IsaName): string {
  return writeImage(`flink-relink-${isa}`, {
    'main.s': sweepMain(isa), 'hook-a.s': hookSource(isa, COUNTER_A), 'hook-b.s': hookSource(isa, COUNTER_B),
  }, {
    isa, cores: 4,
    programs: [{ source: 'main.s', name: 'main' }],
    modules: [{ name: 'hook.a', source: 'hook-a.s' }, { name: 'hook.b', source: 'hook-b.s' }],
  });
}
