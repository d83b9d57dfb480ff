/* FLink's Table 3 loop in C: n calls of foo(i) = i + 1 in another module, bound as the
 * image (or --bind foo=...) says; the core reports the sum. */
#include <clustervm.h>

#define CALLS 1000

int foo(int i);

int main(int node, int core) {
    (void)node;
    (void)core;
    int64_t sum = 0;
    for (int i = 0; i < CALLS; i++) sum += foo(i);
    cvm_report(sum);
    return 0;
}
