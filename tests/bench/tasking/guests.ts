// The tasking benchmark's guests and images. The root (node 0) spawns one task on every
// other node of the image, so one C source serves every cluster size: the count comes
// from the boot info's node count.
import type { TempDir } from '../../support/index.js';

export type Method = 'flat-sequential' | 'flat-concurrent' | 'crtc';
export type Transport = 'window' | 'stop-and-wait';

const HOW: Readonly<Record<Method, string>> = {
  'flat-sequential': 'CVM_FLAT_SEQUENTIAL', 'flat-concurrent': 'CVM_FLAT_CONCURRENT', crtc: 'CVM_CRTC',
};

/** Reads the node count the firmware's boot info holds (offset 20, in the guest's byte order). */
const NODE_COUNT = '(*(volatile uint32_t *)(0x100000 + 20))';

/**
 * How long a created task lives, in virtual ns: longer than any creation here takes (the
 * slowest, flat sequential onto 63 nodes, is about 23 ms), so no task's exit notice reaches
 * the root while it is still creating. An empty task that exited at once would put its
 * notice on the root's kernel (and, under stop-and-wait, on the root's link) in the middle
 * of the creations, and Figure 6 would time creation plus the exits of the tasks made so far.
 */
const TASK_LIFETIME_NS = 100_000_000;

/** The root maps `areas` one-page VM areas and forks a task that only waits onto every other node. */
export function creationSource(method: Method, areas: number): string {
  return `#include <clustervm.h>
static long idle(long argument) { cvm_sleep_ns(${TASK_LIFETIME_NS}u); return argument; }
int main(int node, int core) {
    (void)node; (void)core;
    for (int i = 0; i < ${areas}; i++) *(volatile uint32_t *)cvm_task_map(4096, CVM_TASK_READ | CVM_TASK_WRITE) = (uint32_t)i;
    uint32_t nodes[256];
    int tasks = (int)${NODE_COUNT} - 1;
    for (int i = 0; i < tasks; i++) nodes[i] = (uint32_t)(i + 1);
    int first = cvm_rfork(idle, 0, nodes, tasks, ${HOW[method]});
    for (int i = 0; i < tasks; i++) cvm_task_wait(first + i);
    return 0;
}
`;
}

export const PAGE_IN_PAGES = 300;

/** The root fills 300 pages; every task reads a word of each and returns the virtual ns that took. */
export function pageInSource(hierarchical: boolean): string {
  return `#include <clustervm.h>
#define PAGES ${PAGE_IN_PAGES}
static long page_in(long address) {
    uint64_t start = cvm_time_ns();
    uint32_t sum = 0;
    for (int page = 0; page < PAGES; page++) sum += ((const volatile uint32_t *)address)[page * 1024];
    long took = (long)(cvm_time_ns() - start);
    return sum == (uint32_t)(PAGES * (PAGES - 1) / 2) ? took : -1;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t *words = cvm_task_map(PAGES * 4096, CVM_TASK_READ | CVM_TASK_WRITE);
    for (int page = 0; page < PAGES; page++) words[page * 1024] = (uint32_t)page;
    uint32_t nodes[256];
    int tasks = (int)${NODE_COUNT} - 1;
    for (int i = 0; i < tasks; i++) nodes[i] = (uint32_t)(i + 1);
    int first = cvm_rfork(page_in, (long)words, nodes, tasks, CVM_CRTC${hierarchical ? ' | CVM_PAGING_HIERARCHICAL' : ''});
    for (int i = 0; i < tasks; i++) cvm_task_wait(first + i);
    return 0;
}
`;
}

/** A root node and `tasks` x86-32 nodes that link the same program without starting it. */
export function taskImage(tmp: TempDir, name: string, source: string, tasks: number, transport: Transport, sizeKiB = 256): string {
  const file = tmp.file(`${name}.c`, source);
  return tmp.image(`${name}-${tasks}-${transport}.json`, {
    name, interconnect: { latencyNs: 20_000, bandwidthMbps: 1000 },
    tasks: { sizeKiB, stackKiB: 64, transport },
    nodes: [
      { isa: 'x86-32', cores: 1, programs: [{ source: file }] },
      { isa: 'x86-32', cores: 1, count: tasks, programs: [{ source: file, cores: [] }] },
    ],
  });
}
