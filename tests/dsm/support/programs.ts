// Guest programs for the DSM suites, generated per ISA. Every program is real assembly
// that the image loader assembles with keystone; the numbers (loop counts, addresses)
// are parameters of the generators.
//
// Common conventions:
// - x86 programs may keep shared words big-endian (`bigEndian`): they `bswap` around each
//   load and store, so x86 and SPARC nodes of a mixed image agree on the words.
// - Every core counts the restarts it observes (SYS_TX_BEGIN returning non-zero) in its
//   own word of node RAM at USER_DATA + 4 * core, which transactions do not roll back,
//   and reports that count with SYS_REPORT before it exits.

import { DSM_BASE } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { isSparc, syscall } from '../../support/index.js';

/** The node ISAs of the mixed image, by node index. */
const MIXED_ISAS: readonly IsaName[] = ['x86-32', 'sparc32', 'x86-64', 'sparc64'];

export const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

export { isSparc } from '../../support/index.js';

// ---------------------------------------------------------------------------------------
// x86 helpers: one text for both widths. 32-bit data registers everywhere (they zero-extend
// on x86-64); memory operands need 64-bit base registers on x86-64.

interface X86Dialect {
  readonly wide: boolean;
  /** `[reg]` with the address-width name of a 32-bit register name (`ebx` -> `rbx`). */
  mem(reg: string, extra?: string): string;
  /** Entry: node id into `node`, core id into `core` (32-bit register names). */
  entry(node: string, core: string): string;
  /** SYS_REPORT of the 32-bit value in `reg` (high half 0). */
  report(reg: string): string;
}

function x86(isa: IsaName): X86Dialect {
  const wide = isa === 'x86-64';
  const full = (reg: string) => (wide ? reg.replace(/^e/, 'r') : reg);
  return {
    wide,
    mem: (reg, extra = '') => `[${full(reg)}${extra}]`,
    entry: (node, core) => wide
      ? `    mov   ${node}, edi\n    mov   ${core}, esi\n`
      : `    mov   ${core}, edx\n    mov   ${node}, eax\n`,
    report: (reg) => wide
      ? `    mov   edi, ${reg}\n    xor   esi, esi\n    mov   eax, SYS_REPORT\n    int   0x80\n`
      : `    mov   ebx, ${reg}\n    xor   ecx, ecx\n    mov   eax, SYS_REPORT\n    int   0x80\n`,
  };
}

/** x86: counts a restart (eax != 0 after SYS_TX_BEGIN) in the core's word USER_DATA + 4 * core (core id in edi). */
function x86CountRestart(d: X86Dialect, label: string): string {
  return `    test  eax, eax\n    jz    ${label}\n    inc   dword ptr ${d.mem('edi', '*4 + USER_DATA')}\n${label}:\n`;
}

// ---------------------------------------------------------------------------------------
// Counter: every core increments the word at `address` `iterations` times, one
// transaction per increment.

export interface CounterOptions {
  readonly iterations: number;
  readonly address?: number;
  /** x86 only: keep the counter big-endian (mixed images). */
  readonly bigEndian?: boolean;
}

export function counterProgram(isa: IsaName, options: CounterOptions): string {
  const address = options.address ?? DSM_BASE;
  if (isSparc(isa)) {
    return `! counter: ${options.iterations} transactional increments of ${hex(address)}
main:
    mov   %o7, %l7
    sll   %o1, 2, %l6
    set   USER_DATA, %l5
    add   %l5, %l6, %l5
    set   ${options.iterations}, %l0
    set   ${hex(address)}, %l1
again:
${syscall(isa, 'SYS_TX_BEGIN')}    cmp   %o0, 0
    be    fresh
    nop
    ld    [%l5], %l4
    add   %l4, 1, %l4
    st    %l4, [%l5]
fresh:
    ld    [%l1], %l2
    add   %l2, 1, %l2
    st    %l2, [%l1]
${syscall(isa, 'SYS_TX_COMMIT')}    subcc %l0, 1, %l0
    bne   again
    nop
    ld    [%l5], %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const d = x86(isa);
  const swap = options.bigEndian ? '    bswap ecx\n' : '';
  return `; counter: ${options.iterations} transactional increments of ${hex(address)}
main:
${d.entry('ebp', 'edi')}    mov   esi, ${options.iterations}
again:
${syscall(isa, 'SYS_TX_BEGIN')}${x86CountRestart(d, 'fresh')}    mov   ebx, ${hex(address)}
    mov   ecx, dword ptr ${d.mem('ebx')}
${swap}    inc   ecx
${swap}    mov   dword ptr ${d.mem('ebx')}, ecx
${syscall(isa, 'SYS_TX_COMMIT')}    dec   esi
    jnz   again
    mov   edx, dword ptr ${d.mem('edi', '*4 + USER_DATA')}
${d.report('edx')}    xor   eax, eax
    ret
`;
}

// ---------------------------------------------------------------------------------------
// Bank: `accounts` words spread over `ACCOUNT_PAGES` pages; node 0 core 0 opens every
// account with `initial` and raises a flag in one transaction, the other cores wait for
// the flag (reading the DSM outside a transaction), then every core makes `transfers`
// transfers of a pseudo-random amount from account a to account b != a, one transaction
// each. The random numbers are xorshift32 from the seed node * 16 + core + 1.

export const ACCOUNT_PAGES = 4;
/** Offset of the accounts inside each of their pages. */
const ACCOUNT_OFFSET = 0x100;

export interface BankOptions {
  readonly accounts: number;
  readonly transfers: number;
  readonly initial: number;
  readonly pageBytes: number;
  readonly bigEndian?: boolean;
}

/** Account i lives on page i % ACCOUNT_PAGES, word i / ACCOUNT_PAGES (8 bytes apart). */
export function accountAddress(i: number, pageBytes: number): number {
  return DSM_BASE + (i % ACCOUNT_PAGES) * pageBytes + ACCOUNT_OFFSET + Math.floor(i / ACCOUNT_PAGES) * 8;
}

/** The flag that opens the bank, on a page of its own. */
function bankFlagAddress(pageBytes: number): number {
  return DSM_BASE + ACCOUNT_PAGES * pageBytes;
}

function log2(value: number): number {
  const bits = Math.log2(value);
  if (!Number.isInteger(bits)) throw new Error(`${value} is not a power of two`);
  return bits;
}

function checkBank(options: BankOptions): void {
  log2(options.accounts);
  if (options.accounts < ACCOUNT_PAGES) throw new Error('at least one account per page');
}

/** The transfers core (node, core) makes, as the guest computes them: [from, to, amount]. */
export function bankTransfers(node: number, core: number, options: BankOptions): [number, number, number][] {
  let x = (node * 16 + core + 1) >>> 0;
  const out: [number, number, number][] = [];
  for (let t = 0; t < options.transfers; t++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    const a = x & (options.accounts - 1);
    const b = (a + 1 + ((x >>> 8) & (options.accounts / 2 - 1))) & (options.accounts - 1);
    const amount = ((x >>> 16) & 63) + 1;
    out.push([a, b, amount]);
  }
  return out;
}

export function bankProgram(isa: IsaName, options: BankOptions): string {
  checkBank(options);
  const shift = log2(options.pageBytes);
  const accountBase = DSM_BASE + ACCOUNT_OFFSET;
  const flag = bankFlagAddress(options.pageBytes);
  const n = options.accounts;
  if (isSparc(isa)) {
    const opens = Array.from({ length: n }, (_, i) =>
      `    set   ${hex(accountAddress(i, options.pageBytes))}, %g3\n    st    %g2, [%g3]\n`).join('');
    // Address of account %reg (destroys %g4, %g5) into %dest.
    const address = (reg: string, dest: string) => `    and   ${reg}, ${ACCOUNT_PAGES - 1}, %g4
    sll   %g4, ${shift}, %g4
    srl   ${reg}, 2, %g5
    sll   %g5, 3, %g5
    add   %g4, %g5, %g4
    set   ${hex(accountBase)}, ${dest}
    add   ${dest}, %g4, ${dest}
`;
    return `! bank: ${n} accounts, ${options.transfers} transfers per core
main:
    mov   %o7, %l7
    sll   %o1, 2, %l6
    set   USER_DATA, %l5
    add   %l5, %l6, %l5
    sll   %o0, 4, %l0
    add   %l0, %o1, %l0
    add   %l0, 1, %l0
    set   ${options.transfers}, %l1
    orcc  %o0, %o1, %g0
    bne   wait
    nop
${syscall(isa, 'SYS_TX_BEGIN')}    set   ${options.initial}, %g2
${opens}    set   ${hex(flag)}, %g3
    mov   1, %g2
    st    %g2, [%g3]
${syscall(isa, 'SYS_TX_COMMIT')}    ba    go
    nop
wait:
    set   ${hex(flag)}, %g3
    ld    [%g3], %g2
    cmp   %g2, 0
    bne   go
    nop
${syscall(isa, 'SYS_YIELD')}    ba    wait
    nop
go:
    cmp   %l1, 0
    be    done
    nop
transfer:
    sll   %l0, 13, %g2
    xor   %l0, %g2, %l0
    srl   %l0, 0, %l0
    srl   %l0, 17, %g2
    xor   %l0, %g2, %l0
    sll   %l0, 5, %g2
    xor   %l0, %g2, %l0
    srl   %l0, 0, %l0
    and   %l0, ${n - 1}, %g2
    srl   %l0, 8, %g3
    and   %g3, ${n / 2 - 1}, %g3
    add   %g3, 1, %g3
    add   %g2, %g3, %g3
    and   %g3, ${n - 1}, %g3
    srl   %l0, 16, %l4
    and   %l4, 63, %l4
    add   %l4, 1, %l4
${address('%g2', '%l2')}${address('%g3', '%l3')}${syscall(isa, 'SYS_TX_BEGIN')}    cmp   %o0, 0
    be    fresh
    nop
    ld    [%l5], %g2
    add   %g2, 1, %g2
    st    %g2, [%l5]
fresh:
    ld    [%l2], %g2
    sub   %g2, %l4, %g2
    st    %g2, [%l2]
    ld    [%l3], %g2
    add   %g2, %l4, %g2
    st    %g2, [%l3]
${syscall(isa, 'SYS_TX_COMMIT')}    subcc %l1, 1, %l1
    bne   transfer
    nop
done:
    ld    [%l5], %o0
    clr   %o1
${syscall(isa, 'SYS_REPORT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
  }
  const d = x86(isa);
  const swap = (reg: string) => (options.bigEndian ? `    bswap ${reg}\n` : '');
  const initial = options.bigEndian ? swap32(options.initial) : options.initial;
  const opens = Array.from({ length: n }, (_, i) =>
    `    mov   dword ptr ${d.mem('ebx', ` + ${hex(accountAddress(i, options.pageBytes) - DSM_BASE)}`)}, ${hex(initial)}\n`).join('');
  const flagValue = options.bigEndian ? swap32(1) : 1;
  // Address of account `reg` (destroys eax) back into `reg`.
  const address = (reg: string) => `    mov   eax, ${reg}
    and   eax, ${ACCOUNT_PAGES - 1}
    shl   eax, ${shift}
    shr   ${reg}, 2
    lea   ${reg}, ${d.mem('eax', ` + ${d.wide ? reg.replace(/^e/, 'r') : reg}*8 + ${hex(accountBase)}`)}
`;
  // ebp: random state, edi: core id, esi: transfers left; ebx/ecx: account addresses, edx: amount.
  return `; bank: ${n} accounts, ${options.transfers} transfers per core
main:
${d.entry('ebp', 'edi')}    mov   eax, ebp
    or    eax, edi
    shl   ebp, 4
    lea   ebp, ${d.mem('ebp', ` + ${d.wide ? 'rdi' : 'edi'} + 1`)}
    mov   esi, ${options.transfers}
    test  eax, eax
    jnz   wait
${syscall(isa, 'SYS_TX_BEGIN')}    mov   ebx, ${hex(DSM_BASE)}
${opens}    mov   ebx, ${hex(flag)}
    mov   dword ptr ${d.mem('ebx')}, ${hex(flagValue)}
${syscall(isa, 'SYS_TX_COMMIT')}    jmp   go
wait:
    mov   ebx, ${hex(flag)}
    cmp   dword ptr ${d.mem('ebx')}, 0
    jne   go
${syscall(isa, 'SYS_YIELD')}    jmp   wait
go:
    test  esi, esi
    jz    done
transfer:
    mov   eax, ebp
    shl   eax, 13
    xor   ebp, eax
    mov   eax, ebp
    shr   eax, 17
    xor   ebp, eax
    mov   eax, ebp
    shl   eax, 5
    xor   ebp, eax
    mov   ebx, ebp
    and   ebx, ${n - 1}
    mov   ecx, ebp
    shr   ecx, 8
    and   ecx, ${n / 2 - 1}
    lea   ecx, ${d.mem('ebx', ` + ${d.wide ? 'rcx' : 'ecx'} + 1`)}
    and   ecx, ${n - 1}
    mov   edx, ebp
    shr   edx, 16
    and   edx, 63
    inc   edx
${address('ebx')}${address('ecx')}${syscall(isa, 'SYS_TX_BEGIN')}${x86CountRestart(d, 'fresh')}    mov   eax, dword ptr ${d.mem('ebx')}
${swap('eax')}    sub   eax, edx
${swap('eax')}    mov   dword ptr ${d.mem('ebx')}, eax
    mov   eax, dword ptr ${d.mem('ecx')}
${swap('eax')}    add   eax, edx
${swap('eax')}    mov   dword ptr ${d.mem('ecx')}, eax
${syscall(isa, 'SYS_TX_COMMIT')}    dec   esi
    jnz   transfer
done:
    mov   edx, dword ptr ${d.mem('edi', '*4 + USER_DATA')}
${d.report('edx')}    xor   eax, eax
    ret
`;
}

function swap32(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

/** The node ISAs and x86 byte order of an image kind: one ISA everywhere, or the mixed image. */
export function nodeIsas(kind: IsaName | 'mixed', nodes: number): IsaName[] {
  return Array.from({ length: nodes }, (_, i) => (kind === 'mixed' ? MIXED_ISAS[i % MIXED_ISAS.length]! : kind));
}

/** Whether shared words are big-endian: SPARC-only images and mixed images (x86 uses bswap there). */
export function sharedBigEndian(kind: IsaName | 'mixed'): boolean {
  return kind === 'mixed' || isSparc(kind);
}

/** The smallest DSM page every node's engine can map. */
export function minimumPageBytes(isas: readonly IsaName[]): number {
  return isas.includes('sparc64') ? 8192 : 4096;
}
