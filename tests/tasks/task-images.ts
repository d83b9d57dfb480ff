// The guest programs and images of the tasking tests: C sources written into a
// temporary folder, one root node (node 0) and `workers` nodes that link the same
// program without starting it, so their idle cores take the tasks.
import type { IsaName } from '../../isa/index.js';
import type { TempDir } from '../support/index.js';

const PAGE_WORDS = 1024;

/** The C `how` of a creation method. */
export const HOW = { 'flat-sequential': 'CVM_FLAT_SEQUENTIAL', 'flat-concurrent': 'CVM_FLAT_CONCURRENT', crtc: 'CVM_CRTC' } as const;

export interface TaskImage {
  readonly isa: IsaName;
  readonly workers: number;
  readonly source: string;
  readonly transport?: 'window' | 'stop-and-wait';
  /** A node group of another ISA after the workers (one node). */
  readonly foreign?: IsaName;
}

export function writeTaskImage(tmp: TempDir, name: string, spec: TaskImage): string {
  const source = tmp.file(`${name}.c`, spec.source);
  const groups = [
    { isa: spec.isa, cores: 1, programs: [{ source }] },
    { isa: spec.isa, cores: 1, count: spec.workers, programs: [{ source, cores: [] }] },
    ...(spec.foreign ? [{ isa: spec.foreign, cores: 1, programs: [{ source, cores: [] }] }] : []),
  ];
  return tmp.image(`${name}.json`, {
    name, interconnect: { latencyNs: 20_000, bandwidthMbps: 1000 },
    tasks: { sizeKiB: 256, stackKiB: 64, transport: spec.transport ?? 'window' }, nodes: groups,
  });
}

/**
 * Node 0 fills `pages` pages of a VM area with word i = i * 3 + 1 and forks a task onto
 * nodes 1..tasks with `how`; task k (on node k) sums page k - 1 and returns the sum; the
 * parent prints each exit value and the total.
 */
export function shareSource(tasks: number, pages: number, how: string): string {
  return `#include <clustervm.h>
#define TASKS ${tasks}
#define PAGES ${pages}
#define WORDS ${PAGE_WORDS}
static long share(long address) {
    const uint32_t *page = (const uint32_t *)address + (cvm_node_id() - 1) * WORDS;
    long sum = 0;
    for (int i = 0; i < WORDS; i++) sum += (long)page[i];
    return sum;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *values = cvm_task_map(PAGES * WORDS * 4, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int i = 0; i < PAGES * WORDS; i++) values[i] = (uint32_t)(i * 3 + 1);
    uint32_t nodes[TASKS];
    for (int i = 0; i < TASKS; i++) nodes[i] = (uint32_t)(i + 1);
    int first = cvm_rfork(share, (long)values, nodes, TASKS, ${how});
    long total = 0;
    for (int i = 0; i < TASKS; i++) {
        long value = (long)cvm_task_wait(first + i);
        printf("task %d: %ld\\n", first + i, value);
        total += value;
    }
    printf("total %ld\\n", total);
    return 0;
}
`;
}

/** What task k of shareSource returns: the sum of page k - 1's words. */
export function shareOf(task: number): number {
  let sum = 0;
  for (let i = 0; i < PAGE_WORDS; i++) sum += ((task - 1) * PAGE_WORDS + i) * 3 + 1;
  return sum;
}
