; Each core sums i*i over its share of 1..SUM_N, reports the 64-bit partial sum with
; SYS_REPORT (the boot summary adds them up) and prints it in hex.
; Share: global core g = node * cores + core of T = nodes * cores; the last core also
; takes the remainder. entry(node, core): eax = node, edx = core.
.set SUM_N, 1048576

main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    mov   esi, BOOT_INFO
    mov   ecx, dword ptr [esi + BOOT_CORE_COUNT]
    imul  eax, ecx
    add   eax, edx
    mov   ebp, eax
    mov   ebx, dword ptr [esi + BOOT_NODE_COUNT]
    imul  ebx, ecx
    mov   eax, SUM_N
    xor   edx, edx
    div   ebx
    mov   ecx, eax
    mov   eax, ebp
    imul  eax, ecx
    inc   eax
    lea   ecx, [eax + ecx]
    dec   ebx
    cmp   ebp, ebx
    jne   not_last
    mov   ecx, SUM_N + 1
not_last:
    mov   ebp, eax
    xor   esi, esi
    xor   edi, edi
sum_loop:
    mov   eax, ebp
    mul   eax
    add   esi, eax
    adc   edi, edx
    inc   ebp
    cmp   ebp, ecx
    jne   sum_loop

    mov   ebx, esi
    mov   ecx, edi
    mov   eax, SYS_REPORT
    int   0x80
    mov   ecx, label_text
    mov   edx, 14
    call  print
    mov   eax, edi
    call  print_hex
    mov   eax, esi
    call  print_hex
    mov   ecx, newline
    mov   edx, 1
    call  print
    xor   eax, eax
    pop   ebp
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

; print_hex(eax): eight hex digits
print_hex:
    push  ebx
    push  esi
    sub   esp, 8
    mov   esi, 8
hex_digit:
    mov   ebx, eax
    and   ebx, 15
    mov   bl, byte ptr [hex_digits + ebx]
    mov   byte ptr [esp + esi - 1], bl
    shr   eax, 4
    dec   esi
    jnz   hex_digit
    mov   ecx, esp
    mov   edx, 8
    call  print
    add   esp, 8
    pop   esi
    pop   ebx
    ret

label_text:
    .ascii "partial sum 0x"
hex_digits:
    .ascii "0123456789abcdef"
newline:
    .byte 10
