/* Open addressing with linear probing: inserts, finds and deletes keys, prints the tallies. */
#include "portable.h"

#define SLOTS 512
static uint32_t keys[SLOTS];
static int32_t values[SLOTS];
static unsigned char used[SLOTS];

static unsigned slot_of(uint32_t key) { return (key * 2654435761u) % SLOTS; }

static void put(uint32_t key, int32_t value) {
    unsigned s = slot_of(key);
    while (used[s] == 1 && keys[s] != key) s = (s + 1) % SLOTS;
    keys[s] = key; values[s] = value; used[s] = 1;
}

static int find(uint32_t key, int32_t *value) {
    for (unsigned s = slot_of(key), n = 0; n < SLOTS && used[s]; s = (s + 1) % SLOTS, n++) {
        if (used[s] == 1 && keys[s] == key) { *value = values[s]; return 1; }
    }
    return 0;
}

static void drop(uint32_t key) {
    for (unsigned s = slot_of(key), n = 0; n < SLOTS && used[s]; s = (s + 1) % SLOTS, n++) {
        if (used[s] == 1 && keys[s] == key) { used[s] = 2; return; }
    }
}

int run(void) {
    for (uint32_t k = 1; k <= 300; k++) put(k * 7919u, (int32_t)(k * k) - 5000);
    for (uint32_t k = 1; k <= 300; k += 3) drop(k * 7919u);
    int found = 0;
    int64_t sum = 0;
    for (uint32_t k = 1; k <= 320; k++) {
        int32_t v;
        if (find(k * 7919u, &v)) { found++; sum += v; }
    }
    printf("found %d of 320, sum %lld\n", found, (long long)sum);
    return 0;
}
