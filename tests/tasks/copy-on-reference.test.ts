// Copy on reference: a forked task fetches the pages it touches and no others (exact
// counts of pages and bytes), a spawned one from an empty address space fetches none,
// and a node of another ISA is refused with one fault line.
import { afterAll, describe, expect, it } from 'vitest';
import { TASK_FLAGS } from '../../guest-kernel/index.js';
import { TempDir, expectCleanExit, runCli, runImage } from '../support/index.js';
import { writeTaskImage } from './task-images.js';

const tmp = new TempDir('clustervm-copy-on-reference');
afterAll(() => tmp.cleanup());

const TEMPLATE_PAGES = 16;
const TOUCHED = [0, 3, 7, 15];

/** Node 0 writes a 16-page area; a forked task reads one word of each TOUCHED page, a spawned one reads nothing of it. */
const source = `#include <clustervm.h>
static const int touched[] = { ${TOUCHED.join(', ')} };
static long reader(long address) {
    const uint32_t *words = (const uint32_t *)address;
    long sum = 0;
    for (unsigned i = 0; i < sizeof touched / sizeof touched[0]; i++) sum += (long)words[touched[i] * 1024 + 5];
    return sum;
}
long idler(long argument) { return argument * 2; }
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(${TEMPLATE_PAGES} * 4096, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int i = 0; i < ${TEMPLATE_PAGES} * 1024; i++) words[i] = (uint32_t)i;
    uint32_t one[1] = { 1 }, two[1] = { 2 };
    int forked = cvm_rfork(reader, (long)words, one, 1, CVM_FLAT_SEQUENTIAL);
    int spawned = cvm_rspawn("idler", 21, two, 1, CVM_FLAT_SEQUENTIAL);
    printf("forked %ld spawned %ld\\n", (long)cvm_task_wait(forked), (long)cvm_task_wait(spawned));
    return 0;
}
`;

describe.each(['x86-32', 'sparc64'] as const)('%s', (isa) => {
  it('a forked task fetches exactly the pages it touches; a spawned one fetches none', async () => {
    const image = writeTaskImage(tmp, `cor-${isa}`, { isa, workers: 2, source });
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expectCleanExit(image, run.cores);
    const expectedSum = TOUCHED.reduce((sum, page) => sum + page * 1024 + 5, 0);
    expect(run.console).toEqual([`n0.c0 forked ${expectedSum} spawned 42`]);
    const [root, forked, spawned] = run.inspected;
    expect(root).toMatchObject({ id: 1, parent: 0, areas: 1, pagesFetched: 0, bytesMoved: 0, pagesZeroFilled: TEMPLATE_PAGES });
    expect(forked).toMatchObject({
      id: 2, parent: 1, node: 1, areas: 1, pagesFetched: TOUCHED.length, bytesMoved: TOUCHED.length * 4096,
      pagesUntouched: TEMPLATE_PAGES - TOUCHED.length, exitValue: BigInt(expectedSum),
    });
    expect(spawned).toMatchObject({ id: 3, parent: 1, node: 2, areas: 0, pagesFetched: 0, bytesMoved: 0, pagesUntouched: 0, exitValue: 42n });
  });
});

describe('refusals', () => {
  it('rfork onto a node of another ISA faults the caller with one line naming the node and both ISAs; boot exits 1', async () => {
    const refused = `#include <clustervm.h>
static long nothing(long argument) { return argument; }
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t nodes[2] = { 1, 2 };
    return cvm_rfork(nothing, 0, nodes, 2, CVM_CRTC);
}
`;
    const image = writeTaskImage(tmp, 'foreign', { isa: 'x86-32', workers: 1, source: refused, foreign: 'sparc32' });
    const result = await runCli(['boot', image]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^n0\.c0 fault at pc 0x[0-9a-f]+ \(int 0x80\): rfork: node 2 is sparc32, the task's code is x86-32: it cannot run there$/m);
    expect(result.stderr).toBe('');
  });

  it('the flags word\'s method 3 does not exist: one fault line', async () => {
    const bad = `#include <clustervm.h>
static long nothing(long argument) { return argument; }
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t nodes[1] = { 1 };
    return cvm_rfork(nothing, 0, nodes, 1, ${TASK_FLAGS.TASK_CRTC | TASK_FLAGS.TASK_FLAT_CONCURRENT});
}
`;
    const result = await runCli(['boot', writeTaskImage(tmp, 'method-3', { isa: 'x86-32', workers: 1, source: bad })]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/rfork: creation method 3 does not exist \(flags 0x30001\)$/m);
  });
});
