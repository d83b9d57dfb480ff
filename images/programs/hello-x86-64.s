; Every core prints "hello from node N core C".
; entry(node, core): edi = node, esi = core (SysV).
main:
    push  rbx
    push  r12
    push  r13
    mov   r12d, edi
    mov   r13d, esi
    lea   rdi, [rip + greeting]
    mov   esi, 16
    call  print
    mov   eax, r12d
    call  print_decimal
    lea   rdi, [rip + core_word]
    mov   esi, 6
    call  print
    mov   eax, r13d
    call  print_decimal
    lea   rdi, [rip + newline]
    mov   esi, 1
    call  print
    xor   eax, eax
    pop   r13
    pop   r12
    pop   rbx
    ret

; print(rdi = buffer, rsi = length)
print:
    mov   eax, SYS_WRITE
    int   0x80
    ret

; print_decimal(eax = unsigned value)
print_decimal:
    sub   rsp, 24
    lea   rdi, [rsp + 16]
    mov   ecx, 10
next_digit:
    xor   edx, edx
    div   ecx
    add   edx, 48
    dec   rdi
    mov   byte ptr [rdi], dl
    test  eax, eax
    jnz   next_digit
    lea   rsi, [rsp + 16]
    sub   rsi, rdi
    call  print
    add   rsp, 24
    ret

greeting:
    .ascii "hello from node "
core_word:
    .ascii " core "
newline:
    .byte 10
