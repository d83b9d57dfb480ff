// The guest of the checkpoint benchmark (x86-32, one core per node) and its images,
// written into a temporary folder. Node k owns a run of DSM pages (its share of the
// layout) and, in two phases separated by a long sleep:
//   1. writes every page of its run in transactions of PAGES_PER_TX pages (one word
//      per page, or every word of it when dense), prints "committed" and sleeps;
//   2. rewrites every 100th page of its run (1% of the DSM's pages when the region is
//      the layout's data) in one transaction, prints "changed" and exits.
// The benchmark snapshots the cluster during the sleep (the whole checkpoint) and once
// phase 2 has committed (the incremental one). Every word written is checkable: its
// page's address in phase 1, that plus one in phase 2; dense pages hold an LCG stream.
import { DSM_BASE } from '../../../emulator/machine/layout.js';
import { libSource } from '../../support/index.js';
import { writeImage } from './images.js';

export { DSM_BASE };

export const PAGE_BYTES = 4096;
export const PAGES_PER_MIB = 0x10_0000 / PAGE_BYTES;
/** Pages written per phase-1 transaction: 1 MiB, so a write set stays small beside the region. */
const PAGES_PER_TX = 256;
/** Phase 2 rewrites one page in this many. */
export const CHANGE_EVERY = 100;
/**
 * Virtual ns a node sleeps between the phases (the most SYS_SLEEP_NS takes: 32 bits).
 * Phase 1 of 60 MiB takes about 0.5 s of virtual time on MEMORY_LINK (a fault is the
 * request and the page over 1 Gbit/s), so no node starts phase 2 before the last one
 * has committed phase 1; the check of the data at the checkpoint would say so.
 */
const SLEEP_NS = 4_000_000_000;
/** 273 ns at 1 Gbit/s: the faults of phase 1 cost little virtual time. */
export const MEMORY_LINK = { latencyNs: 273, bandwidthMbps: 1000 };

export const COMMITTED_LINE = 'committed';
export const CHANGED_LINE = 'changed';

/** A row of Plurix's measurement table: MiB of DSM data per node. */
export interface Layout {
  readonly mib: readonly number[];
  /** Every word of every page written (incompressible), not one word per page. */
  readonly dense?: boolean;
}

export const layoutName = (layout: Layout): string =>
  `${layout.mib.length} node${layout.mib.length > 1 ? 's' : ''} ${layout.mib.join('/')} MiB${layout.dense ? ', dense' : ''}`;

export const totalMib = (layout: Layout): number => layout.mib.reduce((sum, mib) => sum + mib, 0);

/** First page of node k's run: the runs lie back to back from the region's start. */
export const firstPage = (layout: Layout, node: number): number =>
  layout.mib.slice(0, node).reduce((sum, mib) => sum + mib, 0) * PAGES_PER_MIB;

/** The pages phase 2 rewrites on node k: every CHANGE_EVERY-th of its run, from its first. */
export function changedPages(layout: Layout, node: number): number {
  return Math.ceil((layout.mib[node]! * PAGES_PER_MIB) / CHANGE_EVERY);
}

const LCG_MUL = 1103515245;
const LCG_ADD = 12345;

/** Page p's words as the dense phase 1 leaves them: the LCG seeded by the page's address. */
export function densePage(page: number): Uint32Array {
  const words = new Uint32Array(PAGE_BYTES / 4);
  let x = DSM_BASE + page * PAGE_BYTES;
  for (let i = 0; i < words.length; i++) words[i] = x = (Math.imul(x, LCG_MUL) + LCG_ADD) >>> 0;
  return words;
}

/** Phase 1's page body: one word (the page's address), or the page's LCG stream. */
function pageWrite(dense: boolean): string {
  if (!dense) return '    mov   dword ptr [ebx], ebx\n';
  return `    mov   eax, ebx
    push  ecx
    mov   ecx, ${PAGE_BYTES / 4}
    mov   edx, ebx
fill:
    imul  eax, eax, ${LCG_MUL}
    add   eax, ${LCG_ADD}
    mov   dword ptr [edx], eax
    add   edx, 4
    dec   ecx
    jnz   fill
    pop   ecx
`;
}

function source(layout: Layout): string {
  const table = layout.mib.map((mib, node) =>
    `    .long ${DSM_BASE + firstPage(layout, node) * PAGE_BYTES}, ${mib * PAGES_PER_MIB}\n`).join('');
  // esi: next page's address, edi: pages left. A transaction that aborts restarts after
  // tx_begin with the registers it began with, so it writes the same pages again.
  return `.extern tx_begin, tx_commit
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    mov   ecx, runs
    mov   esi, dword ptr [ecx + eax*8]
    mov   edi, dword ptr [ecx + eax*8 + 4]
    mov   ebp, esi
    push  edi
phase1:
    test  edi, edi
    jz    committed
    call  tx_begin
    mov   ecx, edi
    cmp   ecx, ${PAGES_PER_TX}
    jbe   sized
    mov   ecx, ${PAGES_PER_TX}
sized:
    mov   ebx, esi
page:
${pageWrite(layout.dense ?? false)}    add   ebx, DSM_PAGE
    dec   ecx
    jnz   page
    call  tx_commit
    mov   eax, ebx
    sub   eax, esi
    shr   eax, 12
    sub   edi, eax
    mov   esi, ebx
    jmp   phase1
committed:
    mov   ebx, committed_text
    mov   ecx, ${COMMITTED_LINE.length + 1}
    mov   eax, SYS_WRITE
    int   0x80
    mov   ebx, ${SLEEP_NS}
    mov   eax, SYS_SLEEP_NS
    int   0x80
    pop   edi
    test  edi, edi
    jz    changed
    call  tx_begin
    mov   ebx, ebp
change:
    mov   eax, ebx
    inc   eax
    mov   dword ptr [ebx], eax
    add   ebx, ${CHANGE_EVERY * PAGE_BYTES}
    sub   edi, ${CHANGE_EVERY}
    ja    change
    call  tx_commit
changed:
    mov   ebx, changed_text
    mov   ecx, ${CHANGED_LINE.length + 1}
    mov   eax, SYS_WRITE
    int   0x80
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
committed_text:
    .ascii "${COMMITTED_LINE}"
    .byte 10
changed_text:
    .ascii "${CHANGED_LINE}"
    .byte 10
runs:
${table}`;
}

/** An image of the layout: one x86-32 core per node, a region of exactly the layout's data. */
export function writeLayoutImage(layout: Layout): string {
  return writeImage(`checkpoint-${layout.mib.join('-')}${layout.dense ? '-dense' : ''}`, {
    interconnect: MEMORY_LINK,
    dsm: { sizeMiB: totalMib(layout), pageBytes: PAGE_BYTES, location: 'broadcast' },
    nodes: [{
      isa: 'x86-32', cores: 1, count: layout.mib.length,
      programs: [{ name: 'main', source: source(layout) }],
      modules: [{ name: 'tx', file: libSource('tx', 'x86-32') }],
    }],
  });
}
