; Compute-bound loop for the boot benchmark: ITERATIONS rounds of seven register-only
; instructions, then SYS_EXIT 0 by trap rather than `ret`, so the native driver can run
; the same bytes straight from `main` without the firmware.
.set ITERATIONS, 7000000

main:
    mov   ecx, ITERATIONS
    xor   eax, eax
    mov   edx, 1
    xor   esi, esi
spin:
    add   rax, rcx
    xor   rdx, rax
    rol   rdx, 3
    add   rsi, rdx
    sub   rax, rsi
    dec   rcx
    jnz   spin
    xor   edi, edi
    mov   eax, SYS_EXIT
    int   0x80
