; print_decimal(rdi = value): writes an unsigned value in decimal.
.globl print_decimal
print_decimal:
    mov   rax, rdi
    sub   rsp, 24
    lea   rdi, [rsp + 24]
    mov   ecx, 10
digit:
    xor   edx, edx
    div   rcx
    add   edx, 48
    dec   rdi
    mov   byte ptr [rdi], dl
    test  rax, rax
    jnz   digit
    lea   rsi, [rsp + 24]
    sub   rsi, rdi
    mov   eax, SYS_WRITE
    int   0x80
    add   rsp, 24
    ret
