; keystone assembles this as lea ebx, [0x10000] (STACK_BYTES alone)
main:
    lea ebx, [USER_DATA + STACK_BYTES]
    ret
