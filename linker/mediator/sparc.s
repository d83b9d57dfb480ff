! clustervm mediator, sparc32 and sparc64 (flat: no save). A stub puts the linkage
! table index in %g1 and branches here; %o7 still holds the caller's return address.
! Entry i of LINK_TABLE is 1 << TABLE_ENTRY_SHIFT bytes: the target in its first word
! (TABLE_TARGET is 0, loaded as `ld [%g1]`: `[%g1 + TABLE_TARGET]` would be another
! encoding), the allowed flag at TABLE_ALLOWED, the call count at TABLE_COUNT
! (mediator-abi.ts).
mediator:
    sll   %g1, TABLE_ENTRY_SHIFT, %g1
    sethi %hi(LINK_TABLE), %g5
    add   %g1, %g5, %g1
! Cores of a node share the count: a core preempted between the load and the store
! starts the increment again, so no other core's increment is lost (as Linux's
! restartable sequences do). x86 increments with one instruction.
mediator_count:
    ld    [%g1 + TABLE_COUNT], %g5
    add   %g5, 1, %g5
    st    %g5, [%g1 + TABLE_COUNT]
! From here to mediator_refuse a core may be restarted after a re-link: %g1 is intact.
mediator_lookup:
    ld    [%g1 + TABLE_ALLOWED], %g5
    cmp   %g5, 0
    be    mediator_refuse
    ld    [%g1], %g5
    jmp   %g5
    nop
mediator_refuse:
    sethi %hi(LINK_TABLE), %g5
    sub   %g1, %g5, %g1
    srl   %g1, TABLE_ENTRY_SHIFT, %g1
    ta    LINK_REFUSE_TRAP

! An open reference: the kernel links the symbol and fills the entry, then the call
! goes on through the table.
failsafe:
    ta    LINK_RESOLVE_TRAP
    sll   %g1, TABLE_ENTRY_SHIFT, %g1
    sethi %hi(LINK_TABLE), %g5
    add   %g1, %g5, %g1
failsafe_lookup:
    ld    [%g1], %g5
    jmp   %g5
    nop
mediator_end:
