; pong: answers ROUNDS messages from channel 0 on channel 1, adding 1000 to word 0.
.extern chan_send_wait, chan_recv_wait
.set ROUNDS, 20
main:
    push  esi
    sub   esp, 64
    xor   esi, esi
again:
    mov   eax, esp
    push  eax
    push  0
    call  chan_recv_wait
    add   esp, 8
    mov   eax, dword ptr [esp]
    bswap eax
    add   eax, 1000
    bswap eax
    mov   dword ptr [esp], eax
    mov   eax, esp
    push  eax
    push  1
    call  chan_send_wait
    add   esp, 8
    inc   esi
    cmp   esi, ROUNDS
    jb    again
    add   esp, 64
    xor   eax, eax
    pop   esi
    ret
