; The same workload twice: every core increments a counter of its own ROUNDS times, one
; transaction each. First the counters are packed into one DSM page (4 bytes apart):
; cores never touch each other's counter, yet their commits collide (false sharing).
; Then each core takes its counter from its node's allocator (dsm_alloc), which keeps
; every node's small objects on pages of their own: no collisions. Each core prints how
; often its transactions restarted in both phases.
.extern tx_begin, tx_commit, dsm_alloc, print_decimal
.set ROUNDS, 40
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    lea   ebx, [eax * 4]
    add   ebx, DSM_BASE
    call  increments
    mov   esi, eax
    push  4
    call  dsm_alloc
    add   esp, 4
    mov   ebx, eax
    call  increments
    mov   edi, eax
    mov   ebx, packed_text
    mov   ecx, 16
    call  write
    push  esi
    call  print_decimal
    add   esp, 4
    mov   ebx, allocated_text
    mov   ecx, 26
    call  write
    push  edi
    call  print_decimal
    add   esp, 4
    mov   ebx, newline
    mov   ecx, 1
    call  write
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret

; increments(ebx = counter): ROUNDS transactions adding 1; returns the restarts in eax
increments:
    push  esi
    push  ebp
    mov   esi, ROUNDS
    xor   ebp, ebp
next:
    call  tx_begin
    add   ebp, eax
    inc   dword ptr [ebx]
    call  tx_commit
    dec   esi
    jnz   next
    mov   eax, ebp
    pop   ebp
    pop   esi
    ret

; write(ebx = text, ecx = length)
write:
    mov   eax, SYS_WRITE
    int   0x80
    ret

packed_text:
    .ascii "packed restarts "
allocated_text:
    .ascii ", node-allocated restarts "
newline:
    .byte 10
