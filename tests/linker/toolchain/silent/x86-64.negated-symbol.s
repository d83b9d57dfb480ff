; keystone assembles mov rax, qword ptr [0x10000]: a load, not -STACK_BYTES
main:
    mov rax, -STACK_BYTES
    ret
