/* Sorts pseudo-random words with an insertion sort and a quicksort, prints a CRC-32 of each. */
#include "portable.h"

static uint32_t state = 12345;
static uint32_t next(void) { state = state * 1103515245u + 12345u; return state >> 8; }

static uint32_t crc32(const uint8_t *bytes, unsigned n) {
    uint32_t crc = 0xffffffffu;
    for (unsigned i = 0; i < n; i++) {
        crc ^= bytes[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void quicksort(uint32_t *a, int lo, int hi) {
    while (lo < hi) {
        uint32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
    }
}

static uint32_t words[300], copy[300];

int run(void) {
    for (int i = 0; i < 300; i++) words[i] = copy[i] = next() % 100000;
    for (int i = 1; i < 300; i++) {
        uint32_t v = words[i];
        int j = i - 1;
        while (j >= 0 && words[j] > v) { words[j + 1] = words[j]; j--; }
        words[j + 1] = v;
    }
    quicksort(copy, 0, 299);
    uint8_t bytes[4 * 300];
    for (int i = 0; i < 300; i++) for (int k = 0; k < 4; k++) bytes[4 * i + k] = (uint8_t)(words[i] >> (8 * k));
    printf("sorted %u..%u crc %08x\n", (unsigned)words[0], (unsigned)words[299], (unsigned)crc32(bytes, sizeof bytes));
    printf("quicksort agrees: %s\n", memcmp(words, copy, sizeof words) == 0 ? "yes" : "no");
    return 0;
}
