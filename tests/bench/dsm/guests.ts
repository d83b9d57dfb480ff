// Guest sources of the dsm benchmark (x86-32, and sparc32 for the rows that show both
// ISAs), written with their images into temporary folders.
//   reader:    every node but node 0 reads one word of each of P pages it does not hold.
//   committer: every node runs K small transactions on its own page and/or a shared page.
//   matmul:    C = A x B split by rows; node 0 fills A and B in one transaction, the
//              others wait for its flag, each computes its rows into node-local memory
//              and copies them into C in one transaction.
import { DSM_BASE, USER_DATA } from '../../../emulator/machine/layout.js';
import { syscall, TempDir } from '../../support/index.js';

export { DSM_BASE };

export type BenchIsa = 'x86-32' | 'sparc32';
export const PAGE_BYTES = 4096;

/** An interconnect of the benchmark: the default link between every pair of nodes. */
export interface Link {
  readonly name: string;
  readonly latencyNs: number;
  readonly bandwidthMbps: number;
}

export const LAN: Link = { name: 'LAN 2.5 ms 100 Mbit/s', latencyNs: 2_500_000, bandwidthMbps: 100 };
export const GIGABIT: Link = { name: 'gigabit 100 us 1 Gbit/s', latencyNs: 100_000, bandwidthMbps: 1000 };
export const MEMORY_LINK: Link = { name: 'memory-latency 273 ns 1 Gbit/s', latencyNs: 273, bandwidthMbps: 1000 };

/** Bytes on the wire of a page request and a commit header (guest-kernel/dsm/dsm.ts). */
export const REQUEST_BYTES = 64;

/** Virtual ns of one message of `bytes` over `link` (emulator/machine/interconnect.ts). */
export const messageNs = (link: Link, bytes: number) => link.latencyNs + (bytes * 8 * 1e3) / link.bandwidthMbps;
/** A page fault answered by the owner: request, then the page. */
export const fetchNs = (link: Link) => messageNs(link, REQUEST_BYTES) + messageNs(link, PAGE_BYTES);

const images = new TempDir('clustervm-bench-dsm');

/** Deletes the temporary folder of every image written so far. */
export function removeImages(): void {
  images.cleanup();
}

export interface DsmImage {
  readonly isa: BenchIsa;
  readonly nodes: number;
  readonly link: Link;
  readonly source: string;
  /** Absent: no DSM at all (the node-local matmul). */
  readonly dsm?: { readonly sizeMiB: number; readonly location: 'broadcast' | 'directory' };
  readonly ramMiB?: number;
}

export function writeImage(name: string, image: DsmImage): string {
  return images.writeImage(name, {
    interconnect: { latencyNs: image.link.latencyNs, bandwidthMbps: image.link.bandwidthMbps },
    ...(image.dsm ? { dsm: { sizeMiB: image.dsm.sizeMiB, pageBytes: PAGE_BYTES, location: image.dsm.location } } : {}),
    nodes: [{ isa: image.isa, cores: 1, count: image.nodes, ramMiB: image.ramMiB ?? 4, programs: [{ name: 'main', source: image.source }] }],
  });
}

// ---------------------------------------------------------------------------------------
// Reader: pages 0..P-1 of the region, one load each; node 0 (their owner: nobody wrote
// them) returns at once.

export function readerSource(isa: BenchIsa, pages: number): string {
  if (isa === 'x86-32') {
    return `main:
    test  eax, eax
    jz    done
    push  ebx
    push  esi
    mov   ebx, DSM_BASE
    mov   esi, ${pages}
next:
    mov   eax, dword ptr [ebx]
    add   ebx, DSM_PAGE
    dec   esi
    jnz   next
    pop   esi
    pop   ebx
done:
    xor   eax, eax
    ret
`;
  }
  return `main:
    cmp   %o0, 0
    be    done
    nop
    set   DSM_BASE, %l0
    set   ${pages}, %l1
    set   DSM_PAGE, %l2
next:
    ld    [%l0], %l3
    subcc %l1, 1, %l1
    bne   next
    add   %l0, %l2, %l0
done:
    retl
    clr   %o0
`;
}

// ---------------------------------------------------------------------------------------
// Committer: K transactions per core. Transaction t (t = K..1, the count left) increments
// the core's own counter (word 0 of page node+1) when `own`, and the shared word when
// (t + node) mod 4 < sharedQuarters: a staggered, deterministic quarter pattern.

export type SharedWord = 'counter' | 'own-word';

export interface CommitterOptions {
  readonly transactions: number;
  readonly own: boolean;
  /** Transactions touching the shared page, in quarters: 0 (none) .. 4 (all). */
  readonly sharedQuarters: number;
  /** 'counter': word 0 of page 0, the same for all (true sharing); 'own-word': word node+1 of page 0 (false sharing). */
  readonly shared: SharedWord;
}

/** Byte offset in the region of node's word on the shared page. */
export const sharedWordOffset = (shared: SharedWord, node: number) => (shared === 'counter' ? 0 : 64 * (node + 1));
export const ownWordOffset = (node: number) => PAGE_BYTES * (node + 1);

/** Transactions of `node` that touch the shared page. */
export function sharedTouches(options: CommitterOptions, node: number): number {
  let count = 0;
  for (let t = options.transactions; t >= 1; t--) if ((t + node) % 4 < options.sharedQuarters) count++;
  return count;
}

export function committerSource(isa: BenchIsa, options: CommitterOptions): string {
  const sharedStride = options.shared === 'counter' ? 0 : 64;
  if (isa === 'x86-32') {
    const own = options.own ? `    mov   ecx, dword ptr [ebx]
    inc   ecx
    mov   dword ptr [ebx], ecx
` : '';
    const shared = options.sharedQuarters > 0 ? `    mov   eax, esi
    add   eax, edi
    and   eax, 3
    cmp   eax, ${options.sharedQuarters}
    jae   skip
    mov   ecx, dword ptr [ebp]
    inc   ecx
    mov   dword ptr [ebp], ecx
skip:
` : '';
    return `main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    mov   edi, eax
    lea   ebx, [eax + 1]
    imul  ebx, ebx, ${PAGE_BYTES}
    add   ebx, DSM_BASE
    lea   ebp, [eax + 1]
    imul  ebp, ebp, ${sharedStride}
    add   ebp, DSM_BASE
    mov   esi, ${options.transactions}
again:
${syscall(isa, 'SYS_TX_BEGIN')}${own}${shared}${syscall(isa, 'SYS_TX_COMMIT')}    dec   esi
    jnz   again
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
`;
  }
  const own = options.own ? `    ld    [%l1], %l4
    add   %l4, 1, %l4
    st    %l4, [%l1]
` : '';
  const shared = options.sharedQuarters > 0 ? `    add   %l3, %l0, %l5
    and   %l5, 3, %l5
    cmp   %l5, ${options.sharedQuarters}
    bgeu  skip
    nop
    ld    [%l2], %l4
    add   %l4, 1, %l4
    st    %l4, [%l2]
skip:
` : '';
  return `main:
    mov   %o7, %l7
    mov   %o0, %l0
    set   DSM_BASE, %l6
    add   %o0, 1, %l1
    sll   %l1, ${Math.log2(PAGE_BYTES)}, %l1
    add   %l1, %l6, %l1
    add   %o0, 1, %l2
    smul  %l2, ${sharedStride}, %l2
    add   %l2, %l6, %l2
    set   ${options.transactions}, %l3
again:
${syscall(isa, 'SYS_TX_BEGIN')}${own}${shared}${syscall(isa, 'SYS_TX_COMMIT')}    subcc %l3, 1, %l3
    bne   again
    nop
    mov   %l7, %o7
    retl
    clr   %o0
`;
}

// ---------------------------------------------------------------------------------------
// Matrix multiplication. A and B (N x N words, row-major) sit back to back, C on the next
// page, the flag on the page after C. Node 0 fills A and B from an LCG in one transaction
// with the flag; every node then reports its virtual time (the start of its parallel
// phase), computes rows [node*R, node*R + R) in i-k-j order (A[i][k] in a register, a B
// row read from the DSM, the C row accumulated in node-local memory), and copies its rows
// into C in one transaction. The local variant is the same program on node-local memory
// with no syscalls but the time report.

export interface MatmulOptions {
  readonly n: number;
  readonly nodes: number;
  readonly memory: 'dsm' | 'local';
  /** How long a waiting node sleeps between two looks at the flag. */
  readonly pollNs: number;
}

const alignPage = (bytes: number) => Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
const LCG_SEED = 12345;
const LCG_MUL = 1103515245;
const LCG_ADD = 12345;

export interface MatmulLayout {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly flag: number;
  /** Node-local rows of C while they are computed. */
  readonly rows: number;
  /** Bytes of DSM the layout needs (static part: the first quarter of the region). */
  readonly dsmBytes: number;
}

export function matmulLayout(options: MatmulOptions): MatmulLayout {
  const matrix = 4 * options.n * options.n;
  const rows = USER_DATA + PAGE_BYTES;
  const base = options.memory === 'dsm' ? DSM_BASE : rows + alignPage(matrix);
  const c = base + alignPage(2 * matrix);
  const flag = c + alignPage(matrix);
  return { a: base, b: base + matrix, c, flag, rows, dsmBytes: flag + PAGE_BYTES - base };
}

/** A and B as node 0 writes them: 2N^2 words from the LCG. */
export function matmulInputs(n: number): Uint32Array {
  const words = new Uint32Array(2 * n * n);
  let x = LCG_SEED;
  for (let i = 0; i < words.length; i++) {
    x = (Math.imul(x, LCG_MUL) + LCG_ADD) | 0;
    words[i] = x >>> 16;
  }
  return words;
}

export function matmulSource(isa: BenchIsa, options: MatmulOptions): string {
  const { n, nodes } = options;
  if (n % nodes !== 0) throw new Error(`matmul: ${nodes} nodes do not split ${n} rows evenly`);
  const rowsPerNode = n / nodes;
  const row = 4 * n;
  const layout = matmulLayout(options);
  const dsm = options.memory === 'dsm';
  return isa === 'x86-32' ? matmulX86(options, rowsPerNode, row, layout, dsm) : matmulSparc(options, rowsPerNode, row, layout, dsm);
}

function matmulX86(options: MatmulOptions, rowsPerNode: number, row: number, layout: MatmulLayout, dsm: boolean): string {
  const { n } = options;
  const sys = (name: string) => (dsm ? `    mov   eax, ${name}\n    int   0x80\n` : '');
  return `main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    imul  ecx, eax, ${rowsPerNode}
    mov   dword ptr [USER_DATA], ecx
    add   ecx, ${rowsPerNode}
    mov   dword ptr [USER_DATA + 4], ecx
    test  eax, eax
    jnz   wait
${sys('SYS_TX_BEGIN')}    mov   ebx, ${LCG_SEED}
    mov   edi, ${layout.a}
    mov   ecx, ${2 * n * n}
fill:
    imul  ebx, ebx, ${LCG_MUL}
    add   ebx, ${LCG_ADD}
    mov   eax, ebx
    shr   eax, 16
    mov   dword ptr [edi], eax
    add   edi, 4
    dec   ecx
    jnz   fill
    mov   dword ptr [${layout.flag}], 1
${sys('SYS_TX_COMMIT')}wait:
    mov   eax, dword ptr [${layout.flag}]
    test  eax, eax
    jnz   go
    mov   eax, SYS_SLEEP_NS
    mov   ebx, ${options.pollNs}
    int   0x80
    jmp   wait
go:
${syscall('x86-32', 'SYS_TIME_NS')}    mov   ebx, eax
    mov   ecx, edx
${syscall('x86-32', 'SYS_REPORT')}    mov   esi, dword ptr [USER_DATA]
row:
    imul  ebx, esi, ${row}
    add   ebx, ${layout.a}
    mov   edi, esi
    sub   edi, dword ptr [USER_DATA]
    imul  edi, edi, ${row}
    add   edi, ${layout.rows + row}
    mov   edx, ${layout.b + row}
    push  esi
    mov   esi, ${n}
kloop:
    mov   ebp, dword ptr [ebx]
    add   ebx, 4
    mov   ecx, ${-n}
inner:
    mov   eax, dword ptr [edx + ecx*4]
    imul  eax, ebp
    add   dword ptr [edi + ecx*4], eax
    inc   ecx
    jnz   inner
    add   edx, ${row}
    dec   esi
    jnz   kloop
    pop   esi
    inc   esi
    cmp   esi, dword ptr [USER_DATA + 4]
    jb    row
${sys('SYS_TX_BEGIN')}    mov   esi, ${layout.rows}
    imul  edi, dword ptr [USER_DATA], ${row}
    add   edi, ${layout.c}
    mov   ecx, ${rowsPerNode * n}
copy:
    mov   eax, dword ptr [esi]
    mov   dword ptr [edi], eax
    add   esi, 4
    add   edi, 4
    dec   ecx
    jnz   copy
${sys('SYS_TX_COMMIT')}    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
`;
}

// SPARC: flat code (%l7 keeps the return address); the inner loop runs j's byte offset
// from -4N up to 0 against row ends, and stores through a base 4 lower (the offset has
// moved on in the delay slot). Registers: %l0 first row, %l1 row i, %l2 &A[i][k],
// %l3 end of the local C row, %l4 end of B row k, %l5 k count, %l6 last row + 1,
// %i0 A[i][k], %i1 j offset, %i2 %l3 - 4.
function matmulSparc(options: MatmulOptions, rowsPerNode: number, row: number, layout: MatmulLayout, dsm: boolean): string {
  const { n } = options;
  if (row > 4095) throw new Error('matmul sparc32: a row of more than 4095 bytes does not fit simm13');
  const sys = (name: string) => (dsm ? `    mov   ${name}, %g1\n    ta    0x10\n` : '');
  return `main:
    mov   %o7, %l7
    smul  %o0, ${rowsPerNode}, %l0
    add   %l0, ${rowsPerNode}, %l6
    cmp   %o0, 0
    bne   wait
    nop
${sys('SYS_TX_BEGIN')}    set   ${LCG_SEED}, %l1
    set   ${LCG_MUL}, %l4
    set   ${LCG_ADD}, %l5
    set   ${layout.a}, %l2
    set   ${2 * n * n}, %l3
fill:
    smul  %l1, %l4, %l1
    add   %l1, %l5, %l1
    srl   %l1, 16, %o2
    st    %o2, [%l2]
    subcc %l3, 1, %l3
    bne   fill
    add   %l2, 4, %l2
    set   ${layout.flag}, %o2
    mov   1, %o3
    st    %o3, [%o2]
${sys('SYS_TX_COMMIT')}wait:
    set   ${layout.flag}, %o2
    ld    [%o2], %o3
    cmp   %o3, 0
    bne   go
    nop
    set   ${options.pollNs}, %o0
${syscall('sparc32', 'SYS_SLEEP_NS')}    ba    wait
    nop
go:
${syscall('sparc32', 'SYS_TIME_NS')}${syscall('sparc32', 'SYS_REPORT')}    mov   %l0, %l1
row:
    smul  %l1, ${row}, %l2
    set   ${layout.a}, %o2
    add   %l2, %o2, %l2
    sub   %l1, %l0, %l3
    smul  %l3, ${row}, %l3
    set   ${layout.rows + row}, %o2
    add   %l3, %o2, %l3
    sub   %l3, 4, %i2
    set   ${layout.b + row}, %l4
    set   ${n}, %l5
kloop:
    ld    [%l2], %i0
    add   %l2, 4, %l2
    mov   ${-row}, %i1
inner:
    ld    [%l4 + %i1], %o2
    smul  %o2, %i0, %o2
    ld    [%l3 + %i1], %o3
    add   %o3, %o2, %o3
    addcc %i1, 4, %i1
    bne   inner
    st    %o3, [%i2 + %i1]
    add   %l4, ${row}, %l4
    subcc %l5, 1, %l5
    bne   kloop
    nop
    add   %l1, 1, %l1
    cmp   %l1, %l6
    bne   row
    nop
${sys('SYS_TX_BEGIN')}    set   ${layout.rows}, %o2
    smul  %l0, ${row}, %o3
    set   ${layout.c}, %o4
    add   %o3, %o4, %o3
    set   ${rowsPerNode * n}, %o4
copy:
    ld    [%o2], %o5
    st    %o5, [%o3]
    add   %o2, 4, %o2
    subcc %o4, 1, %o4
    bne   copy
    add   %o3, 4, %o3
${sys('SYS_TX_COMMIT')}    mov   %l7, %o7
    retl
    clr   %o0
`;
}
