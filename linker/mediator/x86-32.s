; clustervm mediator, x86-32. A stub puts the linkage table index in eax and jumps
; here; the caller's return address is on the stack, its arguments above it.
; Entry i of LINK_TABLE (16 bytes): +0 target, +8 allowed, +12 call count.
mediator:
    shl   eax, 4
mediator_count:
    inc   dword ptr [eax + LINK_TABLE + 12]
; From here to mediator_refuse a core may be restarted after a re-link: eax is intact.
mediator_lookup:
    cmp   dword ptr [eax + LINK_TABLE + 8], 0
    je    mediator_refuse
    jmp   dword ptr [eax + LINK_TABLE]
mediator_refuse:
    shr   eax, 4
    int   LINK_REFUSE_TRAP

; An open reference: the kernel links the symbol and fills the entry, then the call
; goes on through the table.
failsafe:
    int   LINK_RESOLVE_TRAP
    shl   eax, 4
failsafe_lookup:
    jmp   dword ptr [eax + LINK_TABLE]
mediator_end:
