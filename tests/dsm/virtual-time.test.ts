// Virtual time of a commit: the committing core waits for the commit token and for its
// broadcast to reach every other node. Node 0 (the token's first holder) runs 5000
// instructions, then commits one page; node 1 only runs the same loop. With one x86-32
// core per node at 1 GHz, a core's waits are virtualNs - instructions - 100 * traps.

import { describe, expect, it } from 'vitest';
import { expectAllExited, FAST_LAN, runDsm, transferNs } from './support/dsm-image.js';
import { hex } from './support/programs.js';
import { DSM_BASE } from '../../emulator/index.js';

/** Bytes of a commit's broadcast with one written page (REQUEST_BYTES + 8 per page, guest-kernel/dsm/dsm.ts). */
const COMMIT_BYTES = 64 + 8;

const PROGRAM = `
main:
    mov   ecx, 2500
spin:
    dec   ecx
    jnz   spin
    test  eax, eax
    jnz   done
    mov   eax, SYS_TX_BEGIN
    int   0x80
    mov   dword ptr [${hex(DSM_BASE)}], 7
    mov   eax, SYS_TX_COMMIT
    int   0x80
done:
    xor   eax, eax
    ret
`;

async function commitWait(quantum: number): Promise<number> {
  const run = await runDsm({
    name: 'commit-time',
    dsm: { sizeMiB: 1 },
    interconnect: FAST_LAN,
    groups: [{ isa: 'x86-32', cores: 1, count: 2, source: PROGRAM }],
  }, { quantum });
  expectAllExited(run);
  expect(run.time).toBe(1);
  const committer = run.cores[0]!;
  expect(committer.traps).toBe(3);
  return committer.virtualNs - committer.instructions - 100 * committer.traps;
}

describe('virtual time of a commit', () => {
  it('quantum 1: from the commit trap to the wake is exactly the broadcast to node 1', async () => {
    // The token is on node 0 already, so the commit waits for the broadcast only; the wait
    // runs from the trapping instruction, so the trap's own 100 cycles are inside it.
    expect(transferNs(FAST_LAN, COMMIT_BYTES)).toBe(1576);
    expect(await commitWait(1)).toBe(1576 - 100);
  });

  // During a trap the core's clock includes the instructions of the quantum so far, so a
  // quantum longer than the 5000-instruction loop stamps the commit just as quantum 1 does.
  it('a quantum longer than the work before the commit does not make the commit free', async () => {
    expect(await commitWait(100_000)).toBe(1576 - 100);
  });
});
