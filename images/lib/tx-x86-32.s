; Transactions and DSM allocation for x86-32 guests (cdecl; results in eax).
; tx_begin returns 0, or the number of restarts when the transaction was aborted and
; runs again. An abort restores registers, not the stack, so tx_begin keeps its return
; address in ecx across the trap: a stack slot would be overwritten by the body's calls.
.globl tx_begin, tx_commit, dsm_alloc, dsm_alloc_ro
tx_begin:
    pop   ecx
    mov   eax, SYS_TX_BEGIN
    int   0x80
    jmp   ecx

tx_commit:
    mov   eax, SYS_TX_COMMIT
    int   0x80
    ret

; dsm_alloc(bytes): DSM heap memory; objects under a page come from this node's chunks
dsm_alloc:
    push  ebx
    mov   ebx, dword ptr [esp + 8]
    mov   eax, SYS_ALLOC
    int   0x80
    pop   ebx
    ret

; dsm_alloc_ro(bytes): memory from the read-only data's own chunks
dsm_alloc_ro:
    push  ebx
    mov   ebx, dword ptr [esp + 8]
    mov   eax, SYS_ALLOC_RO
    int   0x80
    pop   ebx
    ret
