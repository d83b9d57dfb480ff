; Channels for x86-64 guests (SysV: rdi = id, rsi = message or buffer). Fields of the
; table and rings are big-endian (guest-kernel/channels/ring-format.ts), hence the
; bswaps. A message is 60 bytes from a word-aligned buffer. Within a node these
; routines read and write the ring directly; a channel to another node sends through
; the kernel (SYS_CHAN_SEND).
.globl chan_send, chan_recv, chan_send_wait, chan_recv_wait

; chan_send(id, message): 1 when sent, 0 when the ring (or the window) is full
chan_send:
    push  rbx
    mov   eax, edi
    shl   eax, 4
    add   eax, CHANNEL_TABLE
    mov   edx, dword ptr [rax + 8]
    bswap edx
    test  edx, CHAN_REMOTE
    jnz   send_remote
    mov   ebx, dword ptr [rax]
    bswap ebx
    mov   ecx, dword ptr [rax + 4]
    bswap ecx
    mov   edx, dword ptr [rbx]
    bswap edx
    mov   r8d, dword ptr [rbx + 64]
    bswap r8d
    mov   eax, edx
    sub   eax, r8d
    cmp   eax, ecx
    jae   send_full
    dec   ecx
    mov   r8d, edx
    and   r8d, ecx
    shl   r8d, 6
    lea   r8, [rbx + r8 + 128]
    xor   ecx, ecx
send_copy:
    mov   eax, dword ptr [rsi + rcx]
    mov   dword ptr [r8 + rcx + 4], eax
    add   ecx, 4
    cmp   ecx, 60
    jb    send_copy
    inc   edx
    bswap edx
    mov   dword ptr [r8], edx
    mov   dword ptr [rbx], edx
    mov   eax, 1
    pop   rbx
    ret
send_full:
    xor   eax, eax
    pop   rbx
    ret
send_remote:
    mov   eax, SYS_CHAN_SEND
    int   0x80
    pop   rbx
    ret

; chan_recv(id, buffer): 1 when a message was copied into buffer, 0 when none is there
chan_recv:
    push  rbx
    mov   eax, edi
    shl   eax, 4
    add   eax, CHANNEL_TABLE
    mov   ebx, dword ptr [rax]
    bswap ebx
    mov   ecx, dword ptr [rax + 4]
    bswap ecx
    mov   edx, dword ptr [rbx + 64]
    bswap edx
    dec   ecx
    mov   r8d, edx
    and   r8d, ecx
    shl   r8d, 6
    lea   r8, [rbx + r8 + 128]
    mov   eax, dword ptr [r8]
    bswap eax
    inc   edx
    cmp   eax, edx
    jne   recv_empty
    xor   ecx, ecx
recv_copy:
    mov   eax, dword ptr [r8 + rcx + 4]
    mov   dword ptr [rsi + rcx], eax
    add   ecx, 4
    cmp   ecx, 60
    jb    recv_copy
    bswap edx
    mov   dword ptr [rbx + 64], edx
    mov   eax, 1
    pop   rbx
    ret
recv_empty:
    xor   eax, eax
    pop   rbx
    ret

; chan_send_wait(id, message): sends, waiting while the channel is full
chan_send_wait:
    push  rdi
    push  rsi
    sub   rsp, 8
send_wait_again:
    mov   rdi, qword ptr [rsp + 16]
    mov   rsi, qword ptr [rsp + 8]
    call  chan_send
    test  eax, eax
    jnz   send_wait_done
    mov   rdi, qword ptr [rsp + 16]
    mov   eax, SYS_CHAN_WAIT
    int   0x80
    jmp   send_wait_again
send_wait_done:
    add   rsp, 24
    ret

; chan_recv_wait(id, buffer): receives, waiting while the ring is empty
chan_recv_wait:
    push  rdi
    push  rsi
    sub   rsp, 8
recv_wait_again:
    mov   rdi, qword ptr [rsp + 16]
    mov   rsi, qword ptr [rsp + 8]
    call  chan_recv
    test  eax, eax
    jnz   recv_wait_done
    mov   rdi, qword ptr [rsp + 16]
    mov   eax, SYS_CHAN_WAIT
    int   0x80
    jmp   recv_wait_again
recv_wait_done:
    add   rsp, 24
    ret
