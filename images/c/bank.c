/* Bank transfers over the DSM on nodes of every ISA. Accounts are big-endian words on
 * four DSM pages, so x86 and SPARC cores read the same numbers. Core n0.c0 opens every
 * account in one transaction and raises the open flag; every core waits for it, makes
 * TRANSFERS transfers of a pseudo-random amount (xorshift32 seeded by node and core)
 * from one account to another, one transaction each, then counts itself done in a
 * transaction. n0.c0 waits for every core, audits the accounts in one transaction and
 * prints them: transfers move money and never make or lose it, so the total is the
 * opening total, whatever order the commits took.
 *
 * A restarted transaction resumes after cvm_tx_begin with the registers it began
 * with; its amounts were drawn before it began, so a restart moves the same money. */
#include <clustervm.h>

#define ACCOUNTS 16
#define ACCOUNT_PAGES 4
#define PAGE_BYTES 8192
#define INITIAL 1000
#define TRANSFERS 20
/* The image's node and core counts: n0.c0 waits for this many cores to finish. */
#define CORES_IN_CLUSTER 8

static volatile uint32_t *account(int i) {
    uintptr_t page = CVM_DSM_BASE + (uintptr_t)(i % ACCOUNT_PAGES) * PAGE_BYTES;
    return (volatile uint32_t *)(page + 0x100 + (uintptr_t)(i / ACCOUNT_PAGES) * 8);
}

static volatile uint32_t *const opened = (volatile uint32_t *)(CVM_DSM_BASE + ACCOUNT_PAGES * PAGE_BYTES);
static volatile uint32_t *const done = (volatile uint32_t *)(CVM_DSM_BASE + ACCOUNT_PAGES * PAGE_BYTES + 0x40);

static int32_t balance(int i) { return (int32_t)cvm_from_be32(*account(i)); }
static void set_balance(int i, int32_t value) { *account(i) = cvm_to_be32((uint32_t)value); }

static uint32_t xorshift32(uint32_t x) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

int main(int node, int core) {
    /* Node RAM, which no rollback touches: the restarts a core has seen. */
    static volatile int restarts[64];
    if (node == 0 && core == 0) {
        cvm_tx_begin();
        for (int i = 0; i < ACCOUNTS; i++) set_balance(i, INITIAL);
        *opened = cvm_to_be32(1);
        cvm_tx_commit();
    }
    while (cvm_from_be32(*opened) == 0) cvm_yield();

    uint32_t x = (uint32_t)(node * 16 + core + 1);
    for (int t = 0; t < TRANSFERS; t++) {
        x = xorshift32(x);
        int from = (int)(x & (ACCOUNTS - 1));
        int to = (from + 1 + (int)((x >> 8) & (ACCOUNTS / 2 - 1))) & (ACCOUNTS - 1);
        int32_t amount = (int32_t)((x >> 16) & 63) + 1;
        if (cvm_tx_begin() != 0) restarts[core]++;
        set_balance(from, balance(from) - amount);
        set_balance(to, balance(to) + amount);
        cvm_tx_commit();
    }
    cvm_tx_begin();
    *done = cvm_to_be32(cvm_from_be32(*done) + 1);
    cvm_tx_commit();
    printf("%d transfers, %d restarts\n", TRANSFERS, restarts[core]);
    if (node != 0 || core != 0) return 0;

    int32_t audited[ACCOUNTS];
    uint32_t finished;
    for (;;) {
        cvm_tx_begin();
        finished = cvm_from_be32(*done);
        for (int i = 0; i < ACCOUNTS; i++) audited[i] = balance(i);
        cvm_tx_commit();
        if (finished == CORES_IN_CLUSTER) break;
        cvm_yield();
    }
    int32_t total = 0;
    printf("balances:");
    for (int i = 0; i < ACCOUNTS; i++) {
        printf(" %d", (int)audited[i]);
        total += audited[i];
    }
    printf("\ntotal %d of %d\n", (int)total, ACCOUNTS * INITIAL);
    cvm_report(total);
    return total == ACCOUNTS * INITIAL ? 0 : 1;
}
