// Creation time by the cost model: 15 tasks forked by flat sequential, flat concurrent
// and crtc, over the window and stop-and-wait transports, give the same console, exit
// values and task table, and each family's createdNs - calledNs equals what
// creation-model.ts computes from TASK_COSTS and the interconnect (exact virtual ns).
// The tasks sleep before they return so that no page request or exit notice competes
// with the creations, the model's one condition (checked: every task exits after its
// family is created).
import { afterAll, describe, expect, it } from 'vitest';
import type { FamilyInfo, TaskInfo } from '../../guest-kernel/index.js';
import type { IsaName } from '../../isa/index.js';
import { TempDir, expectCleanExit, runImage } from '../support/index.js';
import { modelCreationNs, type Method } from './creation-model.js';
import { HOW, writeTaskImage } from './task-images.js';

const tmp = new TempDir('clustervm-creation-cost');
afterAll(() => tmp.cleanup());

const TASKS = 15;
const SLEEP_NS = 100_000_000;
const ARGUMENT = 100;

/** Node 0 maps one area; a task on each of nodes 1..15 sleeps, then returns argument * its node. */
const sleepers = (how: string) => `#include <clustervm.h>
static long nap(long argument) {
    cvm_sleep_ns(${SLEEP_NS});
    return argument * cvm_node_id();
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(4096, CVM_TASK_READ | CVM_TASK_WRITE);
    words[0] = 1;
    uint32_t nodes[${TASKS}];
    for (int i = 0; i < ${TASKS}; i++) nodes[i] = (uint32_t)(i + 1);
    int first = cvm_rfork(nap, ${ARGUMENT}, nodes, ${TASKS}, ${how});
    long total = 0;
    for (int i = 0; i < ${TASKS}; i++) {
        long value = (long)cvm_task_wait(first + i);
        printf("task %d: %ld\\n", first + i, value);
        total += value;
    }
    printf("total %ld\\n", total);
    return 0;
}
`;

const METHODS = ['flat-sequential', 'flat-concurrent', 'crtc'] as const;

interface Run { readonly console: string[]; readonly tasks: TaskInfo[]; readonly family: FamilyInfo }

async function run(isa: IsaName, method: Method, transport: 'window' | 'stop-and-wait'): Promise<Run> {
  const image = writeTaskImage(tmp, `${isa}-${method}-${transport}`, { isa, workers: TASKS, source: sleepers(HOW[method]), transport });
  const result = await runImage(image, {
    inspect: (cluster) => ({ tasks: cluster.kernel.tasks!.list(), families: cluster.kernel.tasks!.families() }),
  });
  expectCleanExit(image, result.cores);
  expect(result.inspected.families).toHaveLength(1);
  return { console: result.console, tasks: result.inspected.tasks, family: result.inspected.families[0]! };
}

const creationNs = (family: FamilyInfo) => family.createdNs! - family.calledNs;
const model = (method: Method, transport: 'window' | 'stop-and-wait') =>
  modelCreationNs({ method, tasks: TASKS, areas: 1, transport, latencyNs: 20_000, bandwidthMbps: 1000 });

/** What the program's own arithmetic gives: task k (on node k) returns ARGUMENT * k. */
const expectedConsole = [
  ...Array.from({ length: TASKS }, (_, i) => `n0.c0 task ${i + 2}: ${ARGUMENT * (i + 1)}`),
  `n0.c0 total ${ARGUMENT * ((TASKS * (TASKS + 1)) / 2)}`,
];

/** Everything of a task but its times, which differ between methods by design. */
const outcome = (task: TaskInfo) => {
  const { createdNs: _, startedNs: __, exitedNs: ___, ...rest } = task;
  return rest;
};

describe.each([['x86-32', 'window'], ['sparc32', 'window'], ['x86-32', 'stop-and-wait']] as const)('%s, %s transport', (isa, transport) => {
  it(`15 tasks by each method: same console, exit values and page counts; creation time exactly the cost model's, flat sequential > flat concurrent > crtc`, async () => {
    const runs = await Promise.all(METHODS.map((method) => run(isa, method, transport)));
    for (const [i, method] of METHODS.entries()) {
      const { console, tasks, family } = runs[i]!;
      expect(console).toEqual(expectedConsole);
      expect(tasks.filter((task) => task.parent === 1).map((task) => task.exitValue))
        .toEqual(Array.from({ length: TASKS }, (_, k) => BigInt(ARGUMENT * (k + 1))));
      expect(tasks.map(outcome)).toEqual(runs[0]!.tasks.map(outcome));
      expect(family).toMatchObject({ method, paging: 'flat', caller: 1, tasks: TASKS, areas: 1 });
      // The model holds only if nothing else reached a kernel during the creation.
      for (const task of tasks.filter((t) => t.parent === 1)) expect(task.exitedNs!).toBeGreaterThan(family.createdNs!);
      expect(creationNs(family)).toBe(model(method, transport));
    }
    const [sequential, concurrent, crtc] = runs.map((r) => creationNs(r.family)) as [number, number, number];
    expect(sequential).toBeGreaterThan(concurrent);
    expect(concurrent).toBeGreaterThan(crtc);
  });
});

describe('the transports by the cost model', () => {
  it('stop-and-wait costs flat sequential nothing (one message in flight at a time) and makes flat concurrent and crtc slower than window', () => {
    // The model alone, to document what the boots above check against.
    expect(model('flat-sequential', 'stop-and-wait')).toBe(model('flat-sequential', 'window'));
    expect(model('flat-concurrent', 'stop-and-wait')).toBeGreaterThan(model('flat-concurrent', 'window'));
    expect(model('crtc', 'stop-and-wait')).toBeGreaterThan(model('crtc', 'window'));
  });
});
