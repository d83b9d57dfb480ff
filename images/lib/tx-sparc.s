! Transactions and DSM allocation for sparc32 and sparc64 guests (flat leaf routines;
! argument and result in %o0). tx_begin returns 0, or the number of restarts when the
! transaction was aborted and runs again: the return address lives in %o7, a register,
! so the rollback restores it.
.globl tx_begin, tx_commit, dsm_alloc, dsm_alloc_ro
tx_begin:
    mov   SYS_TX_BEGIN, %g1
    ta    0x10
    retl
    nop

tx_commit:
    mov   SYS_TX_COMMIT, %g1
    ta    0x10
    retl
    nop

dsm_alloc:
    mov   SYS_ALLOC, %g1
    ta    0x10
    retl
    nop

dsm_alloc_ro:
    mov   SYS_ALLOC_RO, %g1
    ta    0x10
    retl
    nop
