/* A ping-pong across ISAs: node 0 sends a counter to node 1 on channel 0, node 1 adds
 * one and sends it back on channel 1, ROUNDS times. The counter travels big-endian, so
 * an x86 node and a SPARC node read the same number. Each side reports the last value
 * it received. */
#include <clustervm.h>

#define ROUNDS 100

struct message {
    uint32_t counter;
    uint32_t pad[14];
};

int main(int node, int core) {
    (void)core;
    struct message message = {0};
    uint32_t last = 0;
    for (int round = 0; round < ROUNDS; round++) {
        if (node == 0) {
            message.counter = cvm_to_be32(last + 1);
            cvm_send_wait(0, &message);
            cvm_recv_wait(1, &message);
        } else {
            cvm_recv_wait(0, &message);
            message.counter = cvm_to_be32(cvm_from_be32(message.counter) + 1);
            cvm_send_wait(1, &message);
        }
        last = cvm_from_be32(message.counter);
    }
    printf("node %d: last counter %u after %d rounds, at %llu ns\n", node, (unsigned)last, ROUNDS,
           (unsigned long long)cvm_time_ns());
    cvm_report(last);
    return 0;
}
