; Transactions and DSM allocation for x86-64 guests (SysV; results in rax).
; tx_begin returns 0, or the number of restarts when the transaction was aborted and
; runs again. An abort restores registers, not the stack, so tx_begin keeps its return
; address in rcx across the trap: a stack slot would be overwritten by the body's calls.
.globl tx_begin, tx_commit, dsm_alloc, dsm_alloc_ro
tx_begin:
    pop   rcx
    mov   eax, SYS_TX_BEGIN
    int   0x80
    jmp   rcx

tx_commit:
    mov   eax, SYS_TX_COMMIT
    int   0x80
    ret

; dsm_alloc(rdi = bytes)
dsm_alloc:
    mov   eax, SYS_ALLOC
    int   0x80
    ret

; dsm_alloc_ro(rdi = bytes)
dsm_alloc_ro:
    mov   eax, SYS_ALLOC_RO
    int   0x80
    ret
