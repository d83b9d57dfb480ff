/* Recursive functions: Ackermann, Fibonacci and the Towers of Hanoi's move count. */
#include "portable.h"

static unsigned ackermann(unsigned m, unsigned n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long hanoi(int n, int from, int to, int via) {
    if (n == 0) return 0;
    return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from);
}

int run(void) {
    printf("ackermann(2, 3) = %u, ackermann(3, 3) = %u\n", ackermann(2, 3), ackermann(3, 3));
    printf("fib(20) = %u\n", fib(20));
    printf("hanoi(12) = %lu moves\n", hanoi(12, 1, 3, 2));
    return 0;
}
