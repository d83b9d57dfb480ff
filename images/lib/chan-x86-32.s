; Channels for x86-32 guests (cdecl). Fields of the table and rings are big-endian
; (guest-kernel/channels/ring-format.ts), hence the bswaps. A message is 60 bytes from a
; word-aligned buffer. Within a node these routines read and write the ring directly;
; a channel to another node sends through the kernel (SYS_CHAN_SEND).
.globl chan_send, chan_recv, chan_send_wait, chan_recv_wait

; chan_send(id, message): 1 when sent, 0 when the ring (or the window) is full
chan_send:
    push  ebx
    push  esi
    push  edi
    push  ebp
    mov   eax, dword ptr [esp + 20]
    mov   esi, dword ptr [esp + 24]
    shl   eax, 4
    add   eax, CHANNEL_TABLE
    mov   edx, dword ptr [eax + 8]
    bswap edx
    test  edx, CHAN_REMOTE
    jnz   send_remote
    mov   ebx, dword ptr [eax]
    bswap ebx
    mov   ecx, dword ptr [eax + 4]
    bswap ecx
    mov   edx, dword ptr [ebx]
    bswap edx
    mov   ebp, dword ptr [ebx + 64]
    bswap ebp
    mov   eax, edx
    sub   eax, ebp
    cmp   eax, ecx
    jae   send_full
    dec   ecx
    mov   edi, edx
    and   edi, ecx
    shl   edi, 6
    lea   edi, [ebx + edi + 128]
    xor   ecx, ecx
send_copy:
    mov   eax, dword ptr [esi + ecx]
    mov   dword ptr [edi + ecx + 4], eax
    add   ecx, 4
    cmp   ecx, 60
    jb    send_copy
    inc   edx
    bswap edx
    mov   dword ptr [edi], edx
    mov   dword ptr [ebx], edx
    mov   eax, 1
    jmp   send_done
send_full:
    xor   eax, eax
    jmp   send_done
send_remote:
    mov   eax, SYS_CHAN_SEND
    mov   ebx, dword ptr [esp + 20]
    mov   ecx, esi
    int   0x80
send_done:
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret

; chan_recv(id, buffer): 1 when a message was copied into buffer, 0 when none is there
chan_recv:
    push  ebx
    push  esi
    push  edi
    mov   eax, dword ptr [esp + 16]
    mov   edi, dword ptr [esp + 20]
    shl   eax, 4
    add   eax, CHANNEL_TABLE
    mov   ebx, dword ptr [eax]
    bswap ebx
    mov   ecx, dword ptr [eax + 4]
    bswap ecx
    mov   edx, dword ptr [ebx + 64]
    bswap edx
    dec   ecx
    mov   esi, edx
    and   esi, ecx
    shl   esi, 6
    lea   esi, [ebx + esi + 128]
    mov   eax, dword ptr [esi]
    bswap eax
    inc   edx
    cmp   eax, edx
    jne   recv_empty
    xor   ecx, ecx
recv_copy:
    mov   eax, dword ptr [esi + ecx + 4]
    mov   dword ptr [edi + ecx], eax
    add   ecx, 4
    cmp   ecx, 60
    jb    recv_copy
    bswap edx
    mov   dword ptr [ebx + 64], edx
    mov   eax, 1
    jmp   recv_done
recv_empty:
    xor   eax, eax
recv_done:
    pop   edi
    pop   esi
    pop   ebx
    ret

; chan_send_wait(id, message): sends, waiting while the channel is full
chan_send_wait:
    push  dword ptr [esp + 8]
    push  dword ptr [esp + 8]
    call  chan_send
    add   esp, 8
    test  eax, eax
    jnz   send_wait_done
    push  ebx
    mov   eax, SYS_CHAN_WAIT
    mov   ebx, dword ptr [esp + 8]
    int   0x80
    pop   ebx
    jmp   chan_send_wait
send_wait_done:
    ret

; chan_recv_wait(id, buffer): receives, waiting while the ring is empty
chan_recv_wait:
    push  dword ptr [esp + 8]
    push  dword ptr [esp + 8]
    call  chan_recv
    add   esp, 8
    test  eax, eax
    jnz   recv_wait_done
    push  ebx
    mov   eax, SYS_CHAN_WAIT
    mov   ebx, dword ptr [esp + 8]
    int   0x80
    pop   ebx
    jmp   chan_recv_wait
recv_wait_done:
    ret
