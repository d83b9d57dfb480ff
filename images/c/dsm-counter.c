/* Every core increments one counter in the DSM, one transaction per increment. The
 * counter is kept big-endian, so x86 and SPARC nodes agree on its bytes. A transaction
 * that an abort rolled back runs again from cvm_tx_begin, which then returns its
 * restart count; the rollback restores the registers, so the core counts restarts in
 * its own word of node RAM (shared by the node's cores), which transactions do not
 * roll back. Each core prints the value its last
 * commit wrote. */
#include <clustervm.h>

#define INCREMENTS 50

int main(int node, int core) {
    (void)node;
    volatile uint32_t *counter = (volatile uint32_t *)CVM_DSM_BASE;
    static volatile int restarts[64];
    uint32_t mine = 0;
    for (int i = 0; i < INCREMENTS; i++) {
        if (cvm_tx_begin() != 0) restarts[core]++;
        mine = cvm_from_be32(*counter) + 1;
        *counter = cvm_to_be32(mine);
        cvm_tx_commit();
    }
    printf("last wrote %u after %d restarts\n", (unsigned)mine, restarts[core]);
    cvm_report(mine);
    return 0;
}
