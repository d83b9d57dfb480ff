; clustervm mediator, x86-64. A stub puts the linkage table index in r11 (the SysV
; scratch register, never an argument) and jumps here.
; Entry i of LINK_TABLE (16 bytes): +0 target (8 bytes), +8 allowed, +12 call count.
mediator:
    shl   r11d, 4
mediator_count:
    inc   dword ptr [r11 + LINK_TABLE + 12]
; From here to mediator_refuse a core may be restarted after a re-link: r11 is intact.
mediator_lookup:
    cmp   dword ptr [r11 + LINK_TABLE + 8], 0
    je    mediator_refuse
    jmp   qword ptr [r11 + LINK_TABLE]
mediator_refuse:
    shr   r11d, 4
    int   LINK_REFUSE_TRAP

; An open reference: the kernel links the symbol and fills the entry, then the call
; goes on through the table.
failsafe:
    int   LINK_RESOLVE_TRAP
    shl   r11d, 4
failsafe_lookup:
    jmp   qword ptr [r11 + LINK_TABLE]
mediator_end:
