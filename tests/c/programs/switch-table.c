/* A dense switch that gcc compiles to a jump table, and a sparse one it does not. */
#include "portable.h"

static const char *dense(int op) {
    switch (op) {
    case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; case 6: return "six"; case 7: return "seven";
    case 8: return "eight"; case 9: return "nine"; default: return "many";
    }
}

static int sparse(int key) {
    switch (key) {
    case 3: return 30; case 100: return 1000; case 4096: return -1; case 77777: return 7;
    default: return 0;
    }
}

int run(void) {
    int total = 0;
    for (int i = -1; i < 12; i++) printf("%d:%s ", i, dense(i));
    printf("\n");
    for (int k = 0; k < 80000; k += 1) total += sparse(k);
    printf("sparse total %d\n", total);
    return 0;
}
