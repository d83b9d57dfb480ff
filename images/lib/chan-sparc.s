! Channels for sparc32 and sparc64 guests (flat leaf routines: %o0 = id, %o1 = message
! or buffer, result in %o0; they use %o2-%o5 and %g4). Fields are big-endian, the
! SPARC's own order. A message is 60 bytes from a word-aligned buffer. Within a node
! these routines read and write the ring directly; a channel to another node sends
! through the kernel (SYS_CHAN_SEND).
.globl chan_send, chan_recv, chan_send_wait, chan_recv_wait

! chan_send(id, message): 1 when sent, 0 when the ring (or the window) is full
chan_send:
    sll   %o0, 4, %o2
    set   CHANNEL_TABLE, %o3
    add   %o2, %o3, %o2
    ld    [%o2 + 8], %o3
    andcc %o3, CHAN_REMOTE, %g0
    bne   send_remote
    nop
    ld    [%o2], %o3
    ld    [%o2 + 4], %o4
    ld    [%o3], %o5
    ld    [%o3 + 64], %g4
    sub   %o5, %g4, %g4
    cmp   %g4, %o4
    bgeu  send_full
    sub   %o4, 1, %o4
    and   %o5, %o4, %g4
    sll   %g4, 6, %g4
    add   %g4, %o3, %g4
    add   %g4, 128, %g4
    clr   %o4
send_copy:
    ld    [%o1 + %o4], %o2
    add   %o4, 4, %o4
    cmp   %o4, 60
    bne   send_copy
    st    %o2, [%g4 + %o4]
    add   %o5, 1, %o5
    st    %o5, [%g4]
    st    %o5, [%o3]
    retl
    mov   1, %o0
send_full:
    retl
    clr   %o0
send_remote:
    mov   SYS_CHAN_SEND, %g1
    ta    0x10
    retl
    nop

! chan_recv(id, buffer): 1 when a message was copied into buffer, 0 when none is there
chan_recv:
    sll   %o0, 4, %o2
    set   CHANNEL_TABLE, %o3
    add   %o2, %o3, %o2
    ld    [%o2], %o3
    ld    [%o2 + 4], %o4
    ld    [%o3 + 64], %o5
    sub   %o4, 1, %o4
    and   %o5, %o4, %g4
    sll   %g4, 6, %g4
    add   %g4, %o3, %g4
    add   %g4, 128, %g4
    ld    [%g4], %o2
    add   %o5, 1, %o5
    cmp   %o2, %o5
    bne   recv_empty
    clr   %o4
    sub   %o1, 4, %o1
recv_copy:
    add   %o4, 4, %o4
    ld    [%g4 + %o4], %o2
    cmp   %o4, 60
    bne   recv_copy
    st    %o2, [%o1 + %o4]
    st    %o5, [%o3 + 64]
    retl
    mov   1, %o0
recv_empty:
    retl
    clr   %o0

! chan_send_wait(id, message): sends, waiting while the channel is full.
! Keeps id, message and the return address in %g2, %g3, %g6 across the calls.
chan_send_wait:
    mov   %o7, %g6
    mov   %o0, %g2
    mov   %o1, %g3
send_wait_again:
    mov   %g2, %o0
    call  chan_send
    mov   %g3, %o1
    cmp   %o0, 0
    bne   send_wait_done
    mov   %g2, %o0
    mov   SYS_CHAN_WAIT, %g1
    ta    0x10
    ba    send_wait_again
    nop
send_wait_done:
    jmp   %g6 + 8
    nop

! chan_recv_wait(id, buffer): receives, waiting while the ring is empty
chan_recv_wait:
    mov   %o7, %g6
    mov   %o0, %g2
    mov   %o1, %g3
recv_wait_again:
    mov   %g2, %o0
    call  chan_recv
    mov   %g3, %o1
    cmp   %o0, 0
    bne   recv_wait_done
    mov   %g2, %o0
    mov   SYS_CHAN_WAIT, %g1
    ta    0x10
    ba    recv_wait_again
    nop
recv_wait_done:
    jmp   %g6 + 8
    nop
