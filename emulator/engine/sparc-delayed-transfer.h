// A SPARC delayed control transfer: a branch, call, jmpl or return, whose next word is
// its delay slot (the same test as emulator/machine/sparc-delay-slot.ts). Shared by the
// native library and the boot benchmark's C driver.
#ifndef CLUSTERVM_SPARC_DELAYED_TRANSFER_H
#define CLUSTERVM_SPARC_DELAYED_TRANSFER_H

#include <stdint.h>

static inline int is_delayed_transfer(uint32_t word) {
    uint32_t op = word >> 30;
    if (op == 1) return 1;  // call
    if (op == 0) {
        uint32_t op2 = (word >> 22) & 7;
        return op2 != 0 && op2 != 4;  // every branch; not unimp (0) nor sethi (4)
    }
    if (op == 2) {
        uint32_t op3 = (word >> 19) & 0x3f;
        return op3 == 0x38 || op3 == 0x39;  // jmpl, return
    }
    return 0;
}

#endif
