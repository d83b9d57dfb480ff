; clustervm mediator, x86-32. A stub puts the linkage table index in eax and jumps
; here; the caller's return address is on the stack, its arguments above it.
; Entry i of LINK_TABLE is 1 << TABLE_ENTRY_SHIFT bytes: the target at TABLE_TARGET,
; the allowed flag at TABLE_ALLOWED, the call count at TABLE_COUNT (mediator-abi.ts).
; Keystone keeps only the last symbol of [eax + A + B], so each field's address is one
; symbol.
.set ENTRY_TARGET, LINK_TABLE + TABLE_TARGET
.set ENTRY_ALLOWED, LINK_TABLE + TABLE_ALLOWED
.set ENTRY_COUNT, LINK_TABLE + TABLE_COUNT
mediator:
    shl   eax, TABLE_ENTRY_SHIFT
mediator_count:
    inc   dword ptr [eax + ENTRY_COUNT]
; From here to mediator_refuse a core may be restarted after a re-link: eax is intact.
mediator_lookup:
    cmp   dword ptr [eax + ENTRY_ALLOWED], 0
    je    mediator_refuse
    jmp   dword ptr [eax + ENTRY_TARGET]
mediator_refuse:
    shr   eax, TABLE_ENTRY_SHIFT
    int   LINK_REFUSE_TRAP

; An open reference: the kernel links the symbol and fills the entry, then the call
; goes on through the table.
failsafe:
    int   LINK_RESOLVE_TRAP
    shl   eax, TABLE_ENTRY_SHIFT
failsafe_lookup:
    jmp   dword ptr [eax + ENTRY_TARGET]
mediator_end:
