/* String formatting: widths, padding, signs, hex, characters, strings and snprintf's length. */
#include "portable.h"

int run(void) {
    char buffer[64];
    printf("[%5d] [%-5d] [%05d] [%d]\n", 42, 42, 42, -42);
    printf("[%x] [%X] [%08x] [%o]\n", 48879u, 48879u, 0xbeefu, 8u);
    printf("[%c%c%c] [%s] [%10s] [%-10s] [%.3s]\n", 'a', 'b', 'c', "str", "right", "left", "truncate");
    printf("[%u] [%ld] [%lu] [%%]\n", 4000000000u, -123456789l, 123456789ul);
    int n = snprintf(buffer, sizeof buffer, "%s-%d-%x", "join", 7, 255u);
    printf("snprintf %d '%s' strlen %u\n", n, buffer, (unsigned)strlen(buffer));
    n = snprintf(buffer, 8, "%s", "much too long for eight");
    printf("cut %d '%s'\n", n, buffer);
    return 0;
}
