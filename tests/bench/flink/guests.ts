// Guest sources of the flink benchmark, per ISA, written into temporary images.
//   calls image: the kit's sumMain (guarded, so n = 0 runs the same code outside the loop)
//   calls foo(i) = i + 1 for i = 0..n-1 (module foo) and reports the sum.
//   re-link image: every core sweeps 56 `call hook` sites until the host raises a stop
//   flag; hook.a counts in the core's first counter word, hook.b in its second.
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { fooModule, sumMain } from '../../support/call-programs.js';
import { TempDir } from '../../support/index.js';

export const ISAS: readonly IsaName[] = ISA_NAMES;

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

const images = new TempDir('clustervm-bench-flink');

/** Deletes the temporary folder of every image written so far. */
export function removeImages(): void {
  images.cleanup();
}

/** One core calling foo n times; `paper` asks for FLink's sethi/jmpl trampolines (SPARC). */
export function writeCallsImage(isa: IsaName, n: number, paper: boolean): string {
  return images.writeImage(`flink-calls-${isa}-${n}`, { nodes: [{
    isa, cores: 1,
    programs: [{ name: 'main', source: sumMain(isa, n, { guarded: true }) }],
    modules: [{ name: 'foo', source: fooModule(isa) }],
    ...(paper ? { trampolines: 'paper' } : {}),
  }] });
}

/** Four cores sweeping the 56 hook sites; hook is bound to hook.a (its first provider) at boot. */
export function writeRelinkImage(isa: IsaName): string {
  return images.writeImage(`flink-relink-${isa}`, { nodes: [{
    isa, cores: 4,
    programs: [{ name: 'main', source: sweepMain(isa) }],
    modules: [{ name: 'hook.a', source: hookSource(isa, COUNTER_A) }, { name: 'hook.b', source: hookSource(isa, COUNTER_B) }],
  }] });
}
