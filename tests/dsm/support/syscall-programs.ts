// Guest programs for the syscall-memory suites (SYS_WRITE of DSM buffers, transactions
// that nest or stay open), one generator per scenario over a small per-ISA dialect, so
// the four ISAs run the same steps. Programs end with SYS_EXIT, so no stack or register
// window is needed; x86 addresses go through 32-bit registers (zero-extended on x86-64).

import type { IsaName } from '../../../isa/index.js';

/** The few steps the scenarios are made of, in one ISA's assembly. */
interface Dialect {
  /** The node id into the dialect's `node` register. */
  readonly entry: string;
  /** `dest` = DSM_BASE + pages * DSM_PAGE. */
  pageAddress(dest: 'a' | 'b', pages: number): string;
  /** The bytes of `text` at [dest]. */
  storeText(dest: 'a' | 'b', text: string): string;
  storeWord(dest: 'a' | 'b', offset: number, value: number): string;
  /** A syscall with immediate arguments, or the saved register (`'saved'`). */
  syscall(name: string, ...args: (number | 'saved' | 'a')[]): string;
  /** Saves the syscall result (SYS_TX_BEGIN's restart count) in the saved register. */
  readonly saveResult: string;
  /** saved = word [a] + word [a + 4]. */
  readonly sumTwoWords: string;
  /** Goes to `label` on node 0. */
  onNodeZero(label: string): string;
  /** Yields until the word at [dest] is not 0 (a read of the DSM outside a transaction). */
  waitNonZero(dest: 'a' | 'b', label: string): string;
}

function x86(isa: 'x86-32' | 'x86-64'): Dialect {
  const wide = isa === 'x86-64';
  const regs = { a: 'ebx', b: 'edx' } as const;
  const mem = (reg: 'a' | 'b', offset = 0) => `[${wide ? regs[reg].replace(/^e/, 'r') : regs[reg]} + ${offset}]`;
  const argRegs = wide ? ['edi', 'esi'] : ['ebx', 'ecx'];
  const arg = (value: number | 'saved' | 'a') => (value === 'saved' ? 'ebp' : value === 'a' ? regs.a : String(value));
  return {
    entry: `    mov   esi, ${wide ? 'edi' : 'eax'}\n`,
    pageAddress: (dest, pages) => `    mov   ${regs[dest]}, DSM_BASE\n`
      + Array.from({ length: pages }, () => `    add   ${regs[dest]}, DSM_PAGE\n`).join(''),
    storeText: (dest, text) => [...text].map((ch, i) =>
      `    mov   byte ptr ${mem(dest, i)}, ${ch.charCodeAt(0)}\n`).join(''),
    storeWord: (dest, offset, value) => `    mov   dword ptr ${mem(dest, offset)}, ${value}\n`,
    syscall: (name, ...args) => args.map((value, i) => [argRegs[i]!, arg(value)] as const)
      .filter(([reg, value]) => reg !== value).map(([reg, value]) => `    mov   ${reg}, ${value}\n`).join('')
      + `    mov   eax, ${name}\n    int   0x80\n`,
    saveResult: '    mov   ebp, eax\n',
    sumTwoWords: `    mov   ebp, dword ptr ${mem('a')}\n    add   ebp, dword ptr ${mem('a', 4)}\n`,
    onNodeZero: (label) => `    test  esi, esi\n    jz    ${label}\n`,
    waitNonZero: (dest, label) => `${label}:\n    cmp   dword ptr ${mem(dest)}, 0\n    jne   ${label}_done\n`
      + `    mov   eax, SYS_YIELD\n    int   0x80\n    jmp   ${label}\n${label}_done:\n`,
  };
}

function sparc(): Dialect {
  const regs = { a: '%l1', b: '%l2' } as const;
  const arg = (value: number | 'saved' | 'a') => (value === 'saved' ? '%l3' : value === 'a' ? regs.a : String(value));
  return {
    entry: '    mov   %o0, %l0\n',
    pageAddress: (dest, pages) => `    set   DSM_BASE, ${regs[dest]}\n    set   DSM_PAGE, %g3\n`
      + Array.from({ length: pages }, () => `    add   ${regs[dest]}, %g3, ${regs[dest]}\n`).join(''),
    storeText: (dest, text) => [...text].map((ch, i) =>
      `    mov   ${ch.charCodeAt(0)}, %g2\n    stb   %g2, [${regs[dest]} + ${i}]\n`).join(''),
    storeWord: (dest, offset, value) => `    mov   ${value}, %g2\n    st    %g2, [${regs[dest]} + ${offset}]\n`,
    syscall: (name, ...args) => args.map((value, i) => (typeof value === 'number'
      ? `    set   ${value}, %o${i}\n` : `    mov   ${arg(value)}, %o${i}\n`)).join('')
      + `    mov   ${name}, %g1\n    ta    0x10\n`,
    saveResult: '    mov   %o0, %l3\n',
    sumTwoWords: `    ld    [${regs.a}], %l3\n    ld    [${regs.a} + 4], %g2\n    add   %l3, %g2, %l3\n`,
    onNodeZero: (label) => `    cmp   %l0, 0\n    be    ${label}\n    nop\n`,
    waitNonZero: (dest, label) => `${label}:\n    ld    [${regs[dest]}], %g2\n    cmp   %g2, 0\n    bne   ${label}_done\n    nop\n`
      + `    mov   SYS_YIELD, %g1\n    ta    0x10\n    ba    ${label}\n    nop\n${label}_done:\n`,
  };
}

function dialect(isa: IsaName): Dialect {
  return isa === 'x86-32' || isa === 'x86-64' ? x86(isa) : sparc();
}

/**
 * Node 0 writes `text` on DSM page 1 and raises a flag on page 0, in one transaction;
 * node 1 waits for the flag, then SYS_WRITEs page 1, a page it never touched.
 */
export function writeUntouchedPage(isa: IsaName, text: string): string {
  const d = dialect(isa);
  return `main:
${d.entry}${d.pageAddress('a', 0)}${d.onNodeZero('writer')}${d.waitNonZero('a', 'wait')}${d.pageAddress('a', 1)}${d.syscall('SYS_WRITE', 'a', text.length)}${d.syscall('SYS_EXIT', 0)}
writer:
${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('b', 1)}${d.storeText('b', text)}${d.pageAddress('a', 0)}${d.storeWord('a', 0, 1)}${d.syscall('SYS_TX_COMMIT')}${d.syscall('SYS_EXIT', 0)}`;
}

/**
 * Node 1 commits `first` on page 1 and a flag on page 2, then in a second transaction
 * SYS_WRITEs page 1 and sleeps `sleepNs`; node 0 waits for the flag and commits `second`
 * on page 1 meanwhile. The write put page 1 in the read set, so that commit aborts the
 * transaction, which prints again and reports its restart count.
 */
export function writeInTransaction(isa: IsaName, first: string, second: string, sleepNs: number): string {
  const d = dialect(isa);
  return `main:
${d.entry}${d.onNodeZero('writer')}${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('a', 1)}${d.storeText('a', first)}${d.pageAddress('b', 2)}${d.storeWord('b', 0, 1)}${d.syscall('SYS_TX_COMMIT')}${d.syscall('SYS_TX_BEGIN')}${d.saveResult}${d.pageAddress('a', 1)}${d.syscall('SYS_WRITE', 'a', first.length)}${d.syscall('SYS_SLEEP_NS', sleepNs)}${d.syscall('SYS_TX_COMMIT')}${d.syscall('SYS_REPORT', 'saved', 0)}${d.syscall('SYS_EXIT', 0)}
writer:
${d.pageAddress('b', 2)}${d.waitNonZero('b', 'wait')}${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('a', 1)}${d.storeText('a', second)}${d.syscall('SYS_TX_COMMIT')}${d.syscall('SYS_EXIT', 0)}`;
}

/** begin; [DSM] = outer; begin; [DSM + 4] = inner; commit; commit; reports [DSM] + [DSM + 4]. */
export function nestedTransaction(isa: IsaName, outer: number, inner: number): string {
  const d = dialect(isa);
  return `main:
${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('a', 0)}${d.storeWord('a', 0, outer)}${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('a', 0)}${d.storeWord('a', 4, inner)}${d.syscall('SYS_TX_COMMIT')}${d.syscall('SYS_TX_COMMIT')}${d.pageAddress('a', 0)}${d.sumTwoWords}${d.syscall('SYS_REPORT', 'saved', 0)}${d.syscall('SYS_EXIT', 0)}`;
}

/** begin; [DSM] = 1; exit without a commit. */
export function exitInTransaction(isa: IsaName): string {
  const d = dialect(isa);
  return `main:
${d.syscall('SYS_TX_BEGIN')}${d.pageAddress('a', 0)}${d.storeWord('a', 0, 1)}${d.syscall('SYS_EXIT', 0)}`;
}
