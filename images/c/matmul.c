/* C = A x B over the DSM, split by rows over the nodes (1 core each), x86 and SPARC
 * mixed: every matrix word is kept big-endian so that all nodes read the same numbers.
 * Node 0 fills A and B in one transaction and raises the ready flag; every node then
 * computes its rows into node-local memory and copies them into C in one transaction
 * (each node's rows on their own pages, so no two nodes' commits collide), and counts
 * itself done. Node 0 waits for all, reads C back and reports its checksum. */
#include <clustervm.h>

#define N 32
#define PAGE 4096u
#define A_AT (CVM_DSM_BASE)
#define B_AT (A_AT + N * N * 4)
#define FLAGS_AT (B_AT + N * N * 4) /* ready, done: their own page */
#define C_AT (FLAGS_AT + PAGE)

static volatile uint32_t *word(uintptr_t base, unsigned i, unsigned j) { return (volatile uint32_t *)base + i * N + j; }

static uintptr_t c_rows(unsigned node) { return C_AT + node * PAGE; }

static uint32_t local[N][N];

int main(int node, int core) {
    (void)core;
    volatile uint32_t *ready = (volatile uint32_t *)FLAGS_AT, *done = ready + 1;
    unsigned nodes = 8, per = N / nodes, first = (unsigned)node * per;
    if (node == 0) {
        cvm_tx_begin();
        for (unsigned i = 0; i < N; i++) {
            for (unsigned k = 0; k < N; k++) {
                *word(A_AT, i, k) = cvm_to_be32((i * 7 + k * 3) % 17);
                *word(B_AT, i, k) = cvm_to_be32((i * 5 + k) % 13);
            }
        }
        *ready = cvm_to_be32(1);
        cvm_tx_commit();
    }
    while (cvm_from_be32(*ready) == 0) cvm_sleep_ns(1000);
    for (unsigned i = first; i < first + per; i++) {
        for (unsigned j = 0; j < N; j++) local[i - first][j] = 0;
        for (unsigned k = 0; k < N; k++) {
            uint32_t a = cvm_from_be32(*word(A_AT, i, k));
            for (unsigned j = 0; j < N; j++) local[i - first][j] += a * cvm_from_be32(*word(B_AT, k, j));
        }
    }
    cvm_tx_begin();
    for (unsigned r = 0; r < per; r++) {
        for (unsigned j = 0; j < N; j++) ((volatile uint32_t *)c_rows((unsigned)node))[r * N + j] = cvm_to_be32(local[r][j]);
    }
    *done = cvm_to_be32(cvm_from_be32(*done) + 1);
    cvm_tx_commit();
    if (node != 0) return 0;
    while (cvm_from_be32(*done) != nodes) cvm_sleep_ns(1000);
    uint64_t checksum = 0;
    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j++) {
            uint32_t c = cvm_from_be32(((volatile uint32_t *)c_rows(i / per))[(i % per) * N + j]);
            checksum += (uint64_t)c * (i * N + j + 1);
        }
    }
    printf("C = A x B, %dx%d on %u nodes: checksum %llu\n", N, N, nodes, (unsigned long long)checksum);
    cvm_report((int64_t)checksum);
    return 0;
}
