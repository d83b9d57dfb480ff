// Programs of the abort test: core A (node 0) sets marker values in registers, begins a
// transaction, overwrites those registers, moves its stack pointer, writes word X of page P
// and spins on SYS_YIELD; core B (node 1) sleeps, then commits a write to word Y of the
// same page, which aborts A. After the restart A stores what it sees (the restart count,
// the registers, the flag that the pre-begin condition codes came back, its stack pointer,
// X and Y) into the result area on another page and commits.

import { DSM_BASE, USER_DATA } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { syscall } from '../../support/index.js';
import { hex } from './programs.js';

/** How long B sleeps before it writes: A spins that long in virtual time. */
const B_DELAY_NS = 20_000;
/** A gives up after this many yields (it is aborted long before). */
const SPIN_YIELDS = 100_000;
export const B_VALUE = 0x0b0b_0b0b;
/** Where A keeps its stack pointer of before the begin, in node RAM. */
export const SAVED_SP = USER_DATA + 0x100;

export interface RollbackLayout {
  readonly x: number;
  readonly y: number;
  readonly results: number;
}

export function rollbackLayout(pageBytes: number): RollbackLayout {
  return { x: DSM_BASE + pageBytes, y: DSM_BASE + pageBytes + 0x40, results: DSM_BASE + 2 * pageBytes };
}

/** The values A sets before its begin, by register name, and the ones it overwrites them with inside. */
export interface Markers {
  readonly before: Readonly<Record<string, bigint>>;
  readonly inside: Readonly<Record<string, bigint>>;
}

/** Field order of A's result area: restart count, then the marker registers, then these. */
export const RESULT_TAIL = ['conditionRestored', 'stackPointer', 'x', 'y'] as const;

export const MARKERS: Readonly<Record<IsaName, Markers>> = {
  'x86-32': {
    before: { ebx: 0x1111_1111n, esi: 0x2222_2222n, edi: 0x3333_3333n, ebp: 0x4444_4444n, edx: 0x5555_5555n },
    inside: { ebx: 0xbad0_0001n, esi: 0xbad0_0002n, edi: 0xbad0_0003n, ebp: 0xbad0_0004n, edx: 0xbad0_0005n },
  },
  'x86-64': {
    before: { rbx: 0x1111_1111_0000_0001n, rbp: 0x2222_2222_0000_0002n, r12: 0x3333_3333_0000_0003n, r13: 0x4444_4444_0000_0004n, r14: 0x5555_5555_0000_0005n, r15: 0x6666_6666_0000_0006n },
    inside: { rbx: 0xbad0_0001_bad0_0001n, rbp: 0xbad0_0002_bad0_0002n, r12: 0xbad0_0003_bad0_0003n, r13: 0xbad0_0004_bad0_0004n, r14: 0xbad0_0005_bad0_0005n, r15: 0xbad0_0006_bad0_0006n },
  },
  sparc32: {
    before: { l1: 0x1111_1111n, l2: 0x2222_2222n, l3: 0x3333_3333n, l4: 0x4444_4444n, l5: 0x5555_5555n, g4: 0x6666_6666n, o3: 0x7777_7777n },
    inside: { l1: 0xbad0_0001n, l2: 0xbad0_0002n, l3: 0xbad0_0003n, l4: 0xbad0_0004n, l5: 0xbad0_0005n, g4: 0xbad0_0006n, o3: 0xbad0_0007n },
  },
  sparc64: {
    before: { l1: 0x1111_1111_0000_0001n, l2: 0x2222_2222_0000_0002n, l3: 0x3333_3333_0000_0003n, l4: 0x4444_4444_0000_0004n, l5: 0x5555_5555_0000_0005n, g4: 0x6666_6666_0000_0006n, o3: 0x7777_7777_0000_0007n },
    inside: { l1: 0xbad0_0001_bad0_0001n, l2: 0xbad0_0002_bad0_0002n, l3: 0xbad0_0003_bad0_0003n, l4: 0xbad0_0004_bad0_0004n, l5: 0xbad0_0005_bad0_0005n, g4: 0xbad0_0006_bad0_0006n, o3: 0xbad0_0007_bad0_0007n },
  },
};

/** Bytes per result field: the ISA's register width. */
export function resultWidth(isa: IsaName): 4 | 8 {
  return isa.endsWith('64') ? 8 : 4;
}

/** sparc64: builds a 64-bit constant in `reg` from two 32-bit halves (keystone has no setx). */
function sparcConstant(isa: IsaName, value: bigint, reg: string): string {
  const low = Number(value & 0xffff_ffffn);
  const high = Number(value >> 32n);
  if (isa === 'sparc32' || high === 0) return `    set   ${hex(low)}, ${reg}\n`;
  return `    set   ${hex(high)}, ${reg}\n    sllx  ${reg}, 32, ${reg}\n    set   ${hex(low)}, %g5\n    or    ${reg}, %g5, ${reg}\n`;
}

export function programA(isa: IsaName, pageBytes: number): string {
  const { x, y, results } = rollbackLayout(pageBytes);
  const markers = MARKERS[isa];
  const width = resultWidth(isa);
  const names = Object.keys(markers.before);
  if (isa === 'sparc32' || isa === 'sparc64') {
    const store = width === 8 ? 'stx' : 'st';
    const setBefore = names.map((name) => sparcConstant(isa, markers.before[name]!, `%${name}`)).join('');
    const setInside = names.map((name) => sparcConstant(isa, markers.inside[name]!, `%${name}`)).join('');
    const saveResults = ['o0', ...names].map((name, i) => `    ${store}   %${name}, [%g3 + ${i * width}]\n`).join('');
    const tail = (1 + names.length) * width;
    return `! rollback: core A
main:
    mov   %o7, %l7
${setBefore}    set   ${hex(SAVED_SP)}, %g3
    ${store}   %sp, [%g3]
    subcc %g0, %g0, %g0
${syscall(isa, 'SYS_TX_BEGIN')}    clr   %g2
    bne   zclear
    nop
    mov   1, %g2
zclear:
    cmp   %o0, 0
    bne   restarted
    nop
${setInside}    add   %sp, -64, %sp
    set   ${hex(x)}, %g3
    st    %l1, [%g3]
    set   ${SPIN_YIELDS}, %g5
spin:
${syscall(isa, 'SYS_YIELD')}    subcc %g5, 1, %g5
    bne   spin
    nop
${syscall(isa, 'SYS_TX_COMMIT')}    mov   %l7, %o7
    retl
    mov   1, %o0
restarted:
    set   ${hex(results)}, %g3
${saveResults}    ${store}   %g2, [%g3 + ${tail}]
    ${store}   %sp, [%g3 + ${tail + width}]
    set   ${hex(x)}, %g5
    ld    [%g5], %g6
    ${store}   %g6, [%g3 + ${tail + 2 * width}]
    set   ${hex(y)}, %g5
    ld    [%g5], %g6
    ${store}   %g6, [%g3 + ${tail + 3 * width}]
${syscall(isa, 'SYS_TX_COMMIT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const wide = isa === 'x86-64';
  const acc = wide ? 'rax' : 'eax';
  const cnt = wide ? 'rcx' : 'ecx';
  const sp = wide ? 'rsp' : 'esp';
  const ptr = wide ? 'qword ptr' : 'dword ptr';
  // 64-bit constants from two 32-bit moves (a 32-bit move zero-extends, an imm32 to a 64-bit register would sign-extend).
  const low32 = (name: string) => (/^r\d+$/.test(name) ? `${name}d` : name.replace(/^r/, 'e'));
  const move = (name: string, value: bigint) => `    mov   ${low32(name)}, ${hex(Number(value >> 32n))}
    shl   ${name}, 32
    mov   ecx, ${hex(Number(value & 0xffff_ffffn))}
    or    ${name}, ${cnt}
`;
  const set = (values: Readonly<Record<string, bigint>>) => names.map((name) =>
    wide ? move(name, values[name]!) : `    mov   ${name}, ${hex(Number(values[name]!))}\n`).join('');
  const saveResults = [acc, ...names].map((name, i) => `    mov   ${ptr} [${hex(results + i * width)}], ${name}\n`).join('');
  const tail = results + (1 + names.length) * width;
  return `; rollback: core A
main:
${set(markers.before)}    mov   ${ptr} [${hex(SAVED_SP)}], ${sp}
    xor   ecx, ecx
${syscall(isa, 'SYS_TX_BEGIN')}    setz  cl
    test  eax, eax
    jnz   restarted
${set(markers.inside)}    push  ${acc}
    push  ${acc}
    mov   dword ptr [${hex(x)}], 0xbad0bad0
    mov   ecx, ${SPIN_YIELDS}
spin:
${syscall(isa, 'SYS_YIELD')}    dec   ecx
    jnz   spin
${syscall(isa, 'SYS_TX_COMMIT')}    pop   ${acc}
    pop   ${acc}
    mov   eax, 1
    ret
restarted:
${saveResults}    movzx ecx, cl
    mov   ${ptr} [${hex(tail)}], ${cnt}
    mov   ${ptr} [${hex(tail + width)}], ${sp}
    mov   ecx, dword ptr [${hex(x)}]
    mov   ${ptr} [${hex(tail + 2 * width)}], ${cnt}
    mov   ecx, dword ptr [${hex(y)}]
    mov   ${ptr} [${hex(tail + 3 * width)}], ${cnt}
${syscall(isa, 'SYS_TX_COMMIT')}    xor   eax, eax
    ret
`;
}

export function programB(isa: IsaName, pageBytes: number): string {
  const { y } = rollbackLayout(pageBytes);
  if (isa === 'sparc32' || isa === 'sparc64') {
    return `! rollback: core B
main:
    mov   %o7, %l7
    set   ${B_DELAY_NS}, %o0
${syscall(isa, 'SYS_SLEEP_NS')}${syscall(isa, 'SYS_TX_BEGIN')}    set   ${hex(y)}, %g3
    set   ${hex(B_VALUE)}, %g2
    st    %g2, [%g3]
${syscall(isa, 'SYS_TX_COMMIT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const arg = isa === 'x86-64' ? 'edi' : 'ebx';
  return `; rollback: core B
main:
    mov   ${arg}, ${B_DELAY_NS}
${syscall(isa, 'SYS_SLEEP_NS')}${syscall(isa, 'SYS_TX_BEGIN')}    mov   dword ptr [${hex(y)}], ${hex(B_VALUE)}
${syscall(isa, 'SYS_TX_COMMIT')}    xor   eax, eax
    ret
`;
}
