// The 64-core image of the reverse-stepi measure: 16 x86-32 nodes of 4 cores. Every core
// runs ROUNDS rounds of a compute loop (SPIN iterations, two instructions each) and a
// transaction that increments a counter on a DSM page of its own, so a replay after going
// back runs guest code, page faults and commits alike. Small RAM and DSM keep a
// snapshot of the cluster (what the session keeps every historyEvery instructions) small.
import { libSource } from '../../support/index.js';
import { MEMORY_LINK, PAGE_BYTES } from './guests.js';
import { writeImage } from './images.js';

export const REVERSE_NODES = 16;
export const REVERSE_CORES = 4;
const SPIN = 5000;
const ROUNDS = 200;
/** Guest instructions per core, about: the run must outlast the furthest point measured. */
export const INSTRUCTIONS_PER_CORE = ROUNDS * 2 * SPIN;

const SOURCE = `.extern tx_begin, tx_commit
main:
    push  ebx
    push  esi
    shl   eax, 2
    add   eax, edx
    imul  eax, eax, ${PAGE_BYTES}
    add   eax, DSM_BASE
    mov   ebx, eax
    mov   esi, ${ROUNDS}
round:
    mov   ecx, ${SPIN}
spin:
    dec   ecx
    jnz   spin
    call  tx_begin
    mov   eax, dword ptr [ebx]
    inc   eax
    mov   dword ptr [ebx], eax
    call  tx_commit
    dec   esi
    jnz   round
    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;

export function writeReverseImage(): string {
  return writeImage('reverse-16x4', {
    interconnect: MEMORY_LINK,
    dsm: { sizeMiB: 1, pageBytes: PAGE_BYTES, location: 'broadcast' },
    nodes: [{
      isa: 'x86-32', cores: REVERSE_CORES, count: REVERSE_NODES, ramMiB: 2,
      programs: [{ name: 'main', source: SOURCE }],
      modules: [{ name: 'tx', file: libSource('tx', 'x86-32') }],
    }],
  });
}
