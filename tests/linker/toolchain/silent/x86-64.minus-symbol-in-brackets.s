; keystone assembles [rbx + 0x10000]: the minus is lost
main:
    mov rax, [rbx - STACK_BYTES]
    ret
