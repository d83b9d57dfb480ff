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
    add   eax, ecx
    xor   edx, eax
    rol   edx, 3
    add   esi, edx
    sub   eax, esi
    dec   ecx
    jnz   spin
    xor   ebx, ebx
    mov   eax, SYS_EXIT
    int   0x80
