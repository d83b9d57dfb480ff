! pong across nodes: answers ROUNDS messages from channel 2 on channel 3, adding 1000
! to word 0 (big-endian on the wire and on SPARC alike). Flat: the buffer is on the stack.
.extern chan_send_wait, chan_recv_wait
.set ROUNDS, 20
main:
    mov   %o7, %l7
    sub   %sp, 160, %sp
    add   %sp, 96, %l1
    clr   %l0
again:
    mov   2, %o0
    call  chan_recv_wait
    mov   %l1, %o1
    ld    [%l1], %o2
    add   %o2, 1000, %o2
    st    %o2, [%l1]
    mov   3, %o0
    call  chan_send_wait
    mov   %l1, %o1
    add   %l0, 1, %l0
    cmp   %l0, ROUNDS
    bne   again
    nop
    add   %sp, 160, %sp
    mov   %l7, %o7
    retl
    clr   %o0
