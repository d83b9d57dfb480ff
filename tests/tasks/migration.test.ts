// Migration: a task that moves to another node halfway through its loop finishes with
// the result of one that stays, its stack and data following it on reference.
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
