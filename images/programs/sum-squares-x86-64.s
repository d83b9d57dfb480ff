; Each core sums i*i over its share of 1..SUM_N, reports the 64-bit partial sum with
; SYS_REPORT (the boot summary adds them up) and prints it in hex.
; Share: global core g = node * cores + core of T = nodes * cores; the last core also
; takes the remainder. entry(node, core): edi = node, esi = core.
.set SUM_N, 1048576

main:
    push  rbx
    mov   r9d, BOOT_INFO
    mov   ecx, dword ptr [r9 + BOOT_CORE_COUNT]
    imul  edi, ecx
    add   edi, esi
    mov   r8d, dword ptr [r9 + BOOT_NODE_COUNT]
    imul  r8d, ecx
    mov   eax, SUM_N
    xor   edx, edx
    div   r8d
    mov   ecx, eax
    mov   eax, edi
    imul  eax, ecx
    inc   eax
    lea   ecx, [rax + rcx]
    dec   r8d
    cmp   edi, r8d
    jne   not_last
    mov   ecx, SUM_N + 1
not_last:
    xor   ebx, ebx
sum_loop:
    mov   rdx, rax
    imul  rdx, rdx
    add   rbx, rdx
    inc   rax
    cmp   rax, rcx
    jne   sum_loop

    mov   edi, ebx
    mov   rsi, rbx
    shr   rsi, 32
    mov   eax, SYS_REPORT
    int   0x80
    lea   rdi, [rip + label_text]
    mov   esi, 14
    call  print
    mov   rax, rbx
    shr   rax, 32
    call  print_hex
    mov   eax, ebx
    call  print_hex
    lea   rdi, [rip + newline]
    mov   esi, 1
    call  print
    xor   eax, eax
    pop   rbx
    ret

; print(rdi = buffer, rsi = length)
print:
    mov   eax, SYS_WRITE
    int   0x80
    ret

; print_hex(eax): eight hex digits
print_hex:
    sub   rsp, 24
    mov   ecx, 8
    lea   r8, [rip + hex_digits]
hex_digit:
    mov   edx, eax
    and   edx, 15
    movzx edx, byte ptr [r8 + rdx]
    mov   byte ptr [rsp + rcx - 1], dl
    shr   eax, 4
    dec   ecx
    jnz   hex_digit
    mov   rdi, rsp
    mov   esi, 8
    call  print
    add   rsp, 24
    ret

label_text:
    .ascii "partial sum 0x"
hex_digits:
    .ascii "0123456789abcdef"
newline:
    .byte 10
