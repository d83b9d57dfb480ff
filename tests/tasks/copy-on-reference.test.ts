// Copy on reference: a forked task fetches the pages it touches and no others (exact
// counts of pages and bytes), a spawned one from an empty address space fetches none;
// the template is a copy frozen at the fork (neither side sees the other's later
// writes, a grandchild sees its parent's and, for pages its parent never touched, its
// grandparent's); a child that faults makes its parent's wait fault; and a node of
// another ISA is refused with one fault line.
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

const AREA_PAGES = 8;

/**
 * Word i of node 0's area is i. The child (node 1) sleeps while node 0 overwrites page 2,
 * reads page 2, writes page 1 and forks two grandchildren (nodes 2, 3) that read page 1
 * (the child's write) and page 5 (which only node 0 ever held). Node 0 then reads back
 * its own pages 1 and 2.
 */
const copies = `#include <clustervm.h>
static long grandchild(long address) {
    const uint32_t *words = (const uint32_t *)address;
    return (long)words[1 * 1024] + (long)words[5 * 1024];
}
static long child(long address) {
    uint32_t *words = (uint32_t *)address;
    cvm_sleep_ns(1000000);
    long seen = (long)words[2 * 1024];
    words[1 * 1024] = 1000;
    uint32_t nodes[2] = { 2, 3 };
    int first = cvm_rfork(grandchild, address, nodes, 2, CVM_CRTC);
    return seen + 10 * ((long)cvm_task_wait(first) + (long)cvm_task_wait(first + 1));
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(${AREA_PAGES} * 4096, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int i = 0; i < ${AREA_PAGES} * 1024; i++) words[i] = (uint32_t)i;
    uint32_t one[1] = { 1 };
    int task = cvm_rfork(child, (long)words, one, 1, CVM_FLAT_SEQUENTIAL);
    words[2 * 1024] = 7;
    long value = (long)cvm_task_wait(task);
    printf("child %ld; page 1 %u, page 2 %u\\n", value, words[1 * 1024], words[2 * 1024]);
    return 0;
}
`;

describe.each(['x86-64', 'sparc32'] as const)('%s', (isa) => {
  it('the template is a copy frozen at the fork: the parent\'s later write is not seen, the child\'s write is its own, a grandchild pages from both ancestors', async () => {
    const image = writeTaskImage(tmp, `copies-${isa}`, { isa, workers: 3, source: copies });
    const run = await runImage(image, {
      inspect: (cluster) => ({ tasks: cluster.kernel.tasks!.list(), families: cluster.kernel.tasks!.families() }),
    });
    expectCleanExit(image, run.cores);
    const grandchild = 1000 + 5 * 1024; // the child's write to page 1, node 0's word 5 * 1024
    const child = 2 * 1024 + 10 * (2 * grandchild); // page 2 as it was at the fork
    expect(run.console).toEqual([`n0.c0 child ${child}; page 1 ${1 * 1024}, page 2 7`]);
    const [root, forked, first, second] = run.inspected.tasks;
    expect(root).toMatchObject({ pagesFetched: 0, bytesMoved: 0, pagesZeroFilled: AREA_PAGES });
    expect(forked).toMatchObject({ id: 2, parent: 1, node: 1, pagesFetched: 2, bytesMoved: 2 * 4096, pagesUntouched: AREA_PAGES - 2, exitValue: BigInt(child) });
    for (const [task, node] of [[first, 2], [second, 3]] as const) {
      expect(task).toMatchObject({ parent: 2, node, areas: 1, pagesFetched: 2, bytesMoved: 2 * 4096, pagesUntouched: AREA_PAGES - 2, exitValue: BigInt(grandchild) });
    }
    expect(run.inspected.families).toMatchObject([{ caller: 1, tasks: 1 }, { caller: 2, tasks: 2, method: 'crtc' }]);
  });
});

describe.each(['x86-32', 'sparc32'] as const)('%s child fault', (isa) => {
  it('a child that faults ends without a value and its parent\'s task_wait faults naming it; the other child\'s value still arrives', async () => {
    const faulty = `#include <clustervm.h>
static long touch(long address) {
    if (cvm_node_id() == 2) *(volatile uint32_t *)(address + 0x10000) = 1;
    return 7;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(4096, CVM_TASK_READ | CVM_TASK_WRITE);
    uint32_t nodes[2] = { 1, 2 };
    int first = cvm_rfork(touch, (long)words, nodes, 2, CVM_CRTC);
    printf("first %ld\\n", (long)cvm_task_wait(first));
    printf("second %ld\\n", (long)cvm_task_wait(first + 1));
    return 0;
}
`;
    const image = writeTaskImage(tmp, `fault-${isa}`, { isa, workers: 2, source: faulty });
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expect(run.console).toEqual(['n0.c0 first 7']);
    const [n0, n1, n2] = run.cores;
    expect(n0).toMatchObject({ status: 'faulted' });
    expect(n0!.fault!.reason).toBe('task_wait: task 3 faulted on n2.c0 (its fault line says why): it has no exit value');
    expect(n1!.status).toBe('idle');
    expect(n2).toMatchObject({ status: 'faulted' });
    expect(n2!.fault!.reason).toMatch(/^write at 0x3001[0-9a-f]{4} outside task 3's VM areas$/);
    expect(run.inspected.slice(1)).toMatchObject([
      { id: 2, node: 1, phase: 'exited', exitValue: 7n },
      { id: 3, node: 2, phase: 'faulted', exitValue: null },
    ]);
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
