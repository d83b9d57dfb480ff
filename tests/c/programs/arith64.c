/* 64-bit arithmetic: products, quotients and remainders of signed and unsigned values
 * (library calls on 32-bit ISAs), shifts and a 64-bit LCG. */
#include "portable.h"

int run(void) {
    uint64_t x = 0x123456789abcdefull;
    int64_t s = -987654321012345ll;
    for (int i = 0; i < 5; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        s = s / 7 - (int64_t)(x % 1000003);
        printf("%d: x %016llx q %llu r %llu s %lld m %lld\n", i, (unsigned long long)x,
               (unsigned long long)(x / 1234567891ull), (unsigned long long)(x % 1234567891ull),
               (long long)s, (long long)(s % 97));
    }
    printf("shifts %llx %llx %lld\n", (unsigned long long)(x << 13), (unsigned long long)(x >> 27), (long long)(s >> 5));
    return 0;
}
