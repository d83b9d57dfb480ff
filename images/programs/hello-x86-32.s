; Every core prints "hello from node N core C".
; entry(node, core): eax = node, edx = core.
main:
    push  ebx
    push  esi
    push  edi
    mov   esi, eax
    mov   edi, edx
    mov   ecx, greeting
    mov   edx, 16
    call  print
    mov   eax, esi
    call  print_decimal
    mov   ecx, core_word
    mov   edx, 6
    call  print
    mov   eax, edi
    call  print_decimal
    mov   ecx, newline
    mov   edx, 1
    call  print
    xor   eax, eax
    pop   edi
    pop   esi
    pop   ebx
    ret

; print(ecx = buffer, edx = length)
print:
    push  ebx
    mov   ebx, ecx
    mov   ecx, edx
    mov   eax, SYS_WRITE
    int   0x80
    pop   ebx
    ret

; print_decimal(eax = unsigned value)
print_decimal:
    push  ebx
    push  esi
    sub   esp, 16
    lea   esi, [esp + 16]
    mov   ebx, 10
next_digit:
    xor   edx, edx
    div   ebx
    add   edx, 48
    dec   esi
    mov   byte ptr [esi], dl
    test  eax, eax
    jnz   next_digit
    lea   edx, [esp + 16]
    sub   edx, esi
    mov   ecx, esi
    call  print
    add   esp, 16
    pop   esi
    pop   ebx
    ret

greeting:
    .ascii "hello from node "
core_word:
    .ascii " core "
newline:
    .byte 10
