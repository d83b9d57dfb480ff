// Migration: a task that moves to another node halfway through its loop finishes with
// the result of one that stays, its stack and data following it on reference; and a
// task's page accounting counts what it touched before and after a migration.
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, expectCleanExit, runImage } from '../support/index.js';
import { writeTaskImage } from './task-images.js';

const tmp = new TempDir('clustervm-migration');
afterAll(() => tmp.cleanup());

const WORDS = 4096;

/** Two forked tasks weigh the same words; the one on node 1 migrates to node 2 at the halfway point. */
const source = `#include <clustervm.h>
#define WORDS ${WORDS}
static long weigh(long address) {
    const uint32_t *words = (const uint32_t *)address;
    long sum = 0;
    for (int i = 0; i < WORDS; i++) {
        if (i == WORDS / 2 && cvm_node_id() == 1) cvm_migrate(2);
        sum += (long)(words[i] % 1000) * (i % 7 + 1);
    }
    return sum;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(WORDS * 4, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int i = 0; i < WORDS; i++) words[i] = (uint32_t)(i * 7 + 3);
    uint32_t nodes[2] = { 1, 3 };
    int first = cvm_rfork(weigh, (long)words, nodes, 2, CVM_FLAT_CONCURRENT);
    long moved = (long)cvm_task_wait(first), stayed = (long)cvm_task_wait(first + 1);
    printf("moved %ld stayed %ld\\n", moved, stayed);
    return 0;
}
`;

function weighed(): number {
  let sum = 0;
  for (let i = 0; i < WORDS; i++) sum += ((i * 7 + 3) % 1000) * ((i % 7) + 1);
  return sum;
}

describe.each(['x86-32', 'sparc32', 'x86-64', 'sparc64'] as const)('%s', (isa) => {
  it('a task migrated in the middle of its computation returns what one that stayed returns', async () => {
    const image = writeTaskImage(tmp, `migrate-${isa}`, { isa, workers: 3, source });
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expectCleanExit(image, run.cores);
    expect(run.console).toEqual([`n0.c0 moved ${weighed()} stayed ${weighed()}`]);
    const [, moved, stayed] = run.inspected;
    expect(moved).toMatchObject({ node: 2, migrations: 1, phase: 'exited', exitValue: BigInt(weighed()) });
    expect(stayed).toMatchObject({ node: 3, migrations: 0, phase: 'exited', exitValue: BigInt(weighed()) });
    // Node 2 ran the second half: its core retired instructions, node 1's the first half.
    expect(run.cores[1]!.instructions).toBeGreaterThan(0);
    expect(run.cores[2]!.instructions).toBeGreaterThan(0);
  });
});

const AREA_PAGES = 16;
const BEFORE = [0, 1, 2, 3];
const AFTER = [4, 5, 6, 7];

/** A forked task reads one word of pages BEFORE on node 1, migrates to node 2, reads pages AFTER there. */
const walker = `#include <clustervm.h>
static const int before[] = { ${BEFORE.join(', ')} }, after[] = { ${AFTER.join(', ')} };
static long walk(long address) {
    const uint32_t *words = (const uint32_t *)address;
    long sum = 0;
    for (int i = 0; i < 4; i++) sum += (long)words[before[i] * 1024 + 9];
    cvm_migrate(2);
    for (int i = 0; i < 4; i++) sum += (long)words[after[i] * 1024 + 9];
    return sum;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(${AREA_PAGES} * 4096, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int i = 0; i < ${AREA_PAGES} * 1024; i++) words[i] = (uint32_t)i;
    uint32_t nodes[1] = { 1 };
    int task = cvm_rfork(walk, (long)words, nodes, 1, CVM_FLAT_SEQUENTIAL);
    printf("walked %ld\\n", (long)cvm_task_wait(task));
    return 0;
}
`;

describe.each(['x86-32', 'sparc32'] as const)('%s page accounting', (isa) => {
  it('a task that migrated counts the pages it touched on both nodes as touched: untouched = area pages - pages read before and after', async () => {
    const image = writeTaskImage(tmp, `walk-${isa}`, { isa, workers: 2, source: walker });
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expectCleanExit(image, run.cores);
    const sum = [...BEFORE, ...AFTER].reduce((total, page) => total + page * 1024 + 9, 0);
    expect(run.console).toEqual([`n0.c0 walked ${sum}`]);
    const [, walked] = run.inspected;
    const touched = BEFORE.length + AFTER.length;
    expect(walked).toMatchObject({ node: 2, migrations: 1, exitValue: BigInt(sum), pagesUntouched: AREA_PAGES - touched });
    // Fetched: the template's pages on either side, and on node 2 the stack it zero-filled on node 1.
    expect(walked!.pagesZeroFilled).toBeGreaterThan(0);
    expect(walked!.pagesFetched - touched).toBeGreaterThan(0);
    expect(walked!.pagesFetched - touched).toBeLessThanOrEqual(walked!.pagesZeroFilled);
    expect(walked!.bytesMoved).toBe(walked!.pagesFetched * 4096);
  });
});

describe('quanta', () => {
  it('a run with a migration is the same at quantum 1000 and 100000: per-core instructions and clocks, the task table', async () => {
    const image = writeTaskImage(tmp, 'migrate-quanta', { isa: 'sparc64', workers: 3, source });
    const runAt = async (quantum: number) => {
      const run = await runImage(image, { quantum, inspect: (cluster) => cluster.kernel.tasks!.list() });
      expectCleanExit(image, run.cores);
      return { console: run.console, tasks: run.inspected, cores: run.cores.map((core) => [core.instructions, core.virtualNs]) };
    };
    const small = await runAt(1000);
    const large = await runAt(100_000);
    expect(small.tasks[1]).toMatchObject({ migrations: 1, node: 2 });
    expect(large).toEqual(small);
  });
});
