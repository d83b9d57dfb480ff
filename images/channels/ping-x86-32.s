; ping: sends ROUNDS messages on channel `core` and waits for each reply on channel
; core + 1. Word 0 of a message is the round number, big-endian (the message format's
; byte order); the reply carries it plus 1000. Reports the sum of the replies.
.extern chan_send_wait, chan_recv_wait, print_decimal
.set ROUNDS, 20
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    mov   ebp, edx
    sub   esp, 64
    xor   esi, esi
    xor   edi, edi
round:
    inc   esi
    mov   eax, esi
    bswap eax
    mov   dword ptr [esp], eax
    mov   eax, esp
    push  eax
    push  ebp
    call  chan_send_wait
    add   esp, 8
    lea   eax, [ebp + 1]
    mov   ecx, esp
    push  ecx
    push  eax
    call  chan_recv_wait
    add   esp, 8
    mov   eax, dword ptr [esp]
    bswap eax
    add   edi, eax
    cmp   esi, ROUNDS
    jb    round
    mov   eax, SYS_REPORT
    mov   ebx, edi
    xor   ecx, ecx
    int   0x80
    add   esp, 64
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
