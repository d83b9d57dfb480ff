/* The differential programs build for the host (libc) and for clustervm (its runtime):
 * both give them printf, snprintf, strlen and memcmp under the same names. Each program
 * defines run(); the entry calls it, on the host from host-main.c. */
#ifdef __clustervm__
#include <clustervm.h>
int run(void);
int main(int node, int core) {
    (void)node;
    (void)core;
    return run();
}
#else
#include <stdint.h>
#include <stdio.h>
#include <string.h>
int run(void);
#endif
