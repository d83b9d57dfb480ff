import { afterAll, describe, expect, it } from 'vitest';
import { coreOf, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-shared-ram');
afterAll(() => images.cleanup());

// Core 1 of each node writes a value to USER_DATA; core 0 waits for it (yielding) and
// reports what it read. Node 1's core 0 writes its own value first. A core sees the
// write of its node's neighbour and never the other node's.

const WRITER_X86 = 'main:\n mov esi, USER_DATA\n lea eax, [eax + 0x100]\n mov dword ptr [esi], eax\n xor eax, eax\n ret\n';
const READER_X86 = `main:
 mov esi, USER_DATA
wait:
 mov ebx, dword ptr [esi]
 test ebx, ebx
 jnz seen
 mov eax, SYS_YIELD
 int 0x80
 jmp wait
seen:
 xor ecx, ecx
 mov eax, SYS_REPORT
 int 0x80
 xor eax, eax
 ret
`;
const WRITER_SPARC = 'main:\n set USER_DATA, %o2\n add %o0, 0x100, %o0\n st %o0, [%o2]\n retl\n clr %o0\n';
const READER_SPARC = `main:
 set USER_DATA, %o2
wait:
 ld [%o2], %o0
 cmp %o0, 0
 bne seen
 nop
 mov SYS_YIELD, %g1
 ta 0x10
 ba wait
 nop
seen:
 clr %o1
 mov SYS_REPORT, %g1
 ta 0x10
 retl
 clr %o0
`;

describe('node RAM', () => {
  it('is shared by the cores of a node and not across nodes (x86 and SPARC)', async () => {
    const path = images.writeImage('shared-ram', { nodes: [
      { isa: 'x86-32', cores: 2, count: 2, programs: [{ source: READER_X86, cores: [0] }, { source: WRITER_X86, cores: [1] }] },
      { isa: 'sparc32', cores: 2, programs: [{ source: READER_SPARC, cores: [0] }, { source: WRITER_SPARC, cores: [1] }] },
    ] });
    const run = await runImage(path, { quantum: 100 });
    for (const node of [0, 1, 2]) {
      expect(coreOf(run.cores, node, 0).status).toBe('exited');
      // The writer stores node id + 0x100: each reader sees its own node's value.
      expect(coreOf(run.cores, node, 0).result).toBe(String(node + 0x100));
      expect(coreOf(run.cores, node, 0).traps).toBeGreaterThan(2);
    }
  });
});
