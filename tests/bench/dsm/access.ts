// Host cost of a DSM access the kernel need not act on: one core reads (or writes) one
// word of a page its node holds, inside a transaction, ACCESSES times; beside it the
// same loop over node RAM, in the same DSM image and in an image without a DSM, and on a
// bare engine driven from C without a count (the ceiling). Every access to the DSM
// region goes through the kernel's memory hook today, and any memory hook on an engine
// slows its other accesses too: the second comparison shows that.
import type { Toolchain } from '../../../emulator/index.js';
import { syscall } from '../../support/index.js';
import { buildNativeLoop, runNativeLoop, UNCOUNTED, writeNativeGuest } from '../boot/native.js';
import { LAN, writeImage, type BenchIsa } from './guests.js';
import { runImage } from './run-image.js';

export const ACCESSES = 2_000_000;
const REPEATS = 3;
const ACCESS_ISAS: readonly BenchIsa[] = ['x86-32', 'sparc32'];

export type AccessKind = 'read' | 'write';
/** Where the loop's word lives: a held DSM page inside a transaction, or node RAM. */
export type AccessPlace = 'dsm' | 'ram, dsm image' | 'ram, no dsm' | 'ram, bare engine';
const IMAGE_PLACES: readonly AccessPlace[] = ['dsm', 'ram, dsm image', 'ram, no dsm'];

export interface AccessRow {
  readonly isa: BenchIsa;
  readonly kind: AccessKind;
  readonly place: AccessPlace;
  /** Host ns per loop iteration, from the fastest of REPEATS runs. */
  readonly nsPerAccess: number;
}

function loopSource(isa: BenchIsa, kind: AccessKind, place: AccessPlace): string {
  const address = place === 'dsm' ? 'DSM_BASE' : 'USER_DATA';
  const [begin, commit] = place === 'dsm' ? [syscall(isa, 'SYS_TX_BEGIN'), syscall(isa, 'SYS_TX_COMMIT')] : ['', ''];
  // The bare engine has no firmware to return to: the loop exits itself.
  const end = place === 'ram, bare engine' ? syscall(isa, 'SYS_EXIT') : '';
  if (isa === 'x86-32') {
    const access = kind === 'read' ? 'mov   eax, dword ptr [ebx]' : 'mov   dword ptr [ebx], esi';
    return `main:
    push  ebx
    push  esi
${begin}    mov   ebx, ${address}
    mov   esi, ${ACCESSES}
next:
    ${access}
    dec   esi
    jnz   next
${commit}    pop   esi
    pop   ebx
    xor   eax, eax
${end}    ret
`;
  }
  const access = kind === 'read' ? 'ld    [%l0], %l3' : 'st    %l1, [%l0]';
  return `main:
${begin}    set   ${address}, %l0
    set   ${ACCESSES}, %l1
next:
    ${access}
    subcc %l1, 1, %l1
    bne   next
    nop
${commit}    clr   %o0
${end}    retl
    nop
`;
}

async function measure(isa: BenchIsa, kind: AccessKind, place: AccessPlace): Promise<AccessRow> {
  const path = writeImage(`access-${isa}-${kind}-${place.replace(/\W+/g, '-')}`, {
    isa, nodes: 1, link: LAN, source: loopSource(isa, kind, place),
    ...(place === 'ram, no dsm' ? {} : { dsm: { sizeMiB: 1, location: 'broadcast' } }),
  });
  let fastestMs = Infinity;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    fastestMs = Math.min(fastestMs, (await runImage(`access ${isa} ${kind} ${place}`, path)).hostMs);
  }
  return { isa, kind, place, nsPerAccess: (fastestMs * 1e6) / ACCESSES };
}

/** The node-RAM loop on a bare engine from C (boot/native-loop.c), assembled as the loader would. */
function measureBare(binary: string, toolchain: Toolchain, isa: BenchIsa, kind: AccessKind): AccessRow {
  const place: AccessPlace = 'ram, bare engine';
  const guest = writeNativeGuest(toolchain, isa, loopSource(isa, kind, place), `access-${isa}-${kind}.s`);
  const seconds = Math.min(...Array.from({ length: REPEATS },
    () => runNativeLoop(binary, guest, [UNCOUNTED], 10 * ACCESSES)[0]!.seconds));
  return { isa, kind, place, nsPerAccess: (seconds * 1e9) / ACCESSES };
}

export async function measureAccesses(toolchain: Toolchain): Promise<AccessRow[]> {
  const binary = buildNativeLoop();
  const rows: AccessRow[] = [];
  for (const isa of ACCESS_ISAS) {
    for (const kind of ['read', 'write'] as const) {
      for (const place of IMAGE_PLACES) rows.push(await measure(isa, kind, place));
      rows.push(measureBare(binary, toolchain, isa, kind));
    }
  }
  return rows;
}

/** Host ns per iteration of one loop. */
export function accessNs(rows: readonly AccessRow[], isa: BenchIsa, kind: AccessKind, place: AccessPlace): number {
  const row = rows.find((r) => r.isa === isa && r.kind === kind && r.place === place);
  if (!row) throw new Error(`no ${isa} ${kind} loop on ${place} was measured`);
  return row.nsPerAccess;
}

/** What one DSM access adds over the same loop on node RAM in an image without a DSM. */
export function dsmExtraNs(rows: readonly AccessRow[], isa: BenchIsa, kind: AccessKind): number {
  return accessNs(rows, isa, kind, 'dsm') - accessNs(rows, isa, kind, 'ram, no dsm');
}

/** How much slower node RAM is in a DSM image than without a DSM. */
export function ramSlowdown(rows: readonly AccessRow[], isa: BenchIsa, kind: AccessKind): number {
  return accessNs(rows, isa, kind, 'ram, dsm image') / accessNs(rows, isa, kind, 'ram, no dsm');
}
