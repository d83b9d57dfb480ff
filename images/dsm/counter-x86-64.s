; Every core adds 1 to one counter in the DSM, ROUNDS times, each time in a transaction
; of its own; then it reports ROUNDS (the summary's total is the number of increments)
; and prints the counter as it reads it when done: the last core to finish prints the total.
.extern tx_begin, tx_commit, print_decimal
.set ROUNDS, 50
main:
    push  rbx
    push  r12
    mov   r12d, ROUNDS
again:
    call  tx_begin
    mov   ebx, DSM_BASE
    inc   dword ptr [rbx]
    call  tx_commit
    dec   r12d
    jnz   again
    mov   eax, SYS_REPORT
    mov   edi, ROUNDS
    xor   esi, esi
    int   0x80
    mov   eax, SYS_WRITE
    lea   rdi, [rip + done_text]
    mov   esi, 20
    int   0x80
    mov   ebx, DSM_BASE
    mov   edi, dword ptr [rbx]
    call  print_decimal
    mov   eax, SYS_WRITE
    lea   rdi, [rip + newline]
    mov   esi, 1
    int   0x80
    xor   eax, eax
    pop   r12
    pop   rbx
    ret
done_text:
    .ascii "done, counter reads "
newline:
    .byte 10
