; Every core adds 1 to one counter in the DSM, ROUNDS times, each time in a transaction
; of its own; then it reports ROUNDS (the summary's total is the number of increments)
; and prints the counter as it reads it when done: the last core to finish prints the total.
.extern tx_begin, tx_commit, print_decimal
.set ROUNDS, 50
main:
    push  ebx
    push  esi
    mov   esi, ROUNDS
again:
    call  tx_begin
    mov   ebx, DSM_BASE
    inc   dword ptr [ebx]
    call  tx_commit
    dec   esi
    jnz   again
    mov   eax, SYS_REPORT
    mov   ebx, ROUNDS
    xor   ecx, ecx
    int   0x80
    mov   eax, SYS_WRITE
    mov   ebx, done_text
    mov   ecx, 20
    int   0x80
    mov   ebx, DSM_BASE
    push  dword ptr [ebx]
    call  print_decimal
    add   esp, 4
    mov   eax, SYS_WRITE
    mov   ebx, newline
    mov   ecx, 1
    int   0x80
    xor   eax, eax
    pop   esi
    pop   ebx
    ret
done_text:
    .ascii "done, counter reads "
newline:
    .byte 10
