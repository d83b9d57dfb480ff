; clustervm mediator, x86-64. A stub puts the linkage table index in r11 (the SysV
; scratch register, never an argument) and jumps here.
; Entry i of LINK_TABLE is 1 << TABLE_ENTRY_SHIFT bytes: the 8-byte target at
; TABLE_TARGET, the allowed flag at TABLE_ALLOWED, the call count at TABLE_COUNT
; (mediator-abi.ts). Keystone keeps only the last symbol of [r11 + A + B], so each
; field's address is one symbol.
.set ENTRY_TARGET, LINK_TABLE + TABLE_TARGET
.set ENTRY_ALLOWED, LINK_TABLE + TABLE_ALLOWED
.set ENTRY_COUNT, LINK_TABLE + TABLE_COUNT
mediator:
    shl   r11d, TABLE_ENTRY_SHIFT
mediator_count:
    inc   dword ptr [r11 + ENTRY_COUNT]
; From here to mediator_refuse a core may be restarted after a re-link: r11 is intact.
mediator_lookup:
    cmp   dword ptr [r11 + ENTRY_ALLOWED], 0
    je    mediator_refuse
    jmp   qword ptr [r11 + ENTRY_TARGET]
mediator_refuse:
    shr   r11d, TABLE_ENTRY_SHIFT
    int   LINK_REFUSE_TRAP

; An open reference: the kernel links the symbol and fills the entry, then the call
; goes on through the table.
failsafe:
    int   LINK_RESOLVE_TRAP
    shl   r11d, TABLE_ENTRY_SHIFT
failsafe_lookup:
    jmp   qword ptr [r11 + ENTRY_TARGET]
mediator_end:
