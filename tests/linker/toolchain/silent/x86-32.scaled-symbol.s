; keystone assembles [eax + 0x10000]: the scale is dropped
main:
    lea ebx, [eax + STACK_BYTES * 2]
    ret
