/* Remote tasking: node 0's program fills a VM area of 15 pages, one page per task, and
 * forks a task onto each of nodes 1 to 15 by a spanning tree of creations (crtc). A
 * task sums its own page of the template (copy on reference fetches that page and no
 * other) and returns the sum; the parent waits for every task and reports the total. */
#include <clustervm.h>

#define TASKS 15
#define WORDS_PER_TASK 1024 /* one 4 KiB page */

static long sum_share(long address) {
    const uint32_t *values = (const uint32_t *)address + (cvm_node_id() - 1) * WORDS_PER_TASK;
    long sum = 0;
    for (int i = 0; i < WORDS_PER_TASK; i++) sum += (long)values[i];
    return sum;
}

int main(int node, int core) {
    (void)node;
    (void)core;
    uint32_t *values = cvm_task_map(TASKS * WORDS_PER_TASK * sizeof(uint32_t), CVM_TASK_READ | CVM_TASK_WRITE);
    long expected = 0;
    for (int i = 0; i < TASKS * WORDS_PER_TASK; i++) {
        values[i] = (uint32_t)i;
        expected += i;
    }
    uint32_t nodes[TASKS];
    for (int i = 0; i < TASKS; i++) nodes[i] = (uint32_t)(i + 1);
    int first = cvm_rfork(sum_share, (long)values, nodes, TASKS, CVM_CRTC);
    long total = 0;
    for (int i = 0; i < TASKS; i++) total += (long)cvm_task_wait(first + i);
    printf("%d tasks summed %ld (expected %ld)\n", TASKS, total, expected);
    cvm_report(total);
    return total == expected ? 0 : 1;
}
