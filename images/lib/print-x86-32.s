; print_decimal(value): writes an unsigned value in decimal.
.globl print_decimal
print_decimal:
    push  ebx
    mov   eax, dword ptr [esp + 8]
    sub   esp, 16
    lea   ebx, [esp + 16]
    mov   ecx, 10
digit:
    xor   edx, edx
    div   ecx
    add   edx, 48
    dec   ebx
    mov   byte ptr [ebx], dl
    test  eax, eax
    jnz   digit
    lea   ecx, [esp + 16]
    sub   ecx, ebx
    mov   eax, SYS_WRITE
    int   0x80
    add   esp, 16
    pop   ebx
    ret
