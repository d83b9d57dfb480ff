; clustervm firmware, x86-64.
; Reset state set by the machine: rsi = boot info block, rdi = core id.
; Calls the core's program as entry(node, core) in the SysV convention: edi = node,
; esi = core. The program's return value becomes the core's exit status.
_start:
    mov   eax, dword ptr [rsi + BOOT_STACK_STRIDE]
    imul  rax, rdi
    mov   esp, dword ptr [rsi + BOOT_STACK_TOP]
    sub   rsp, rax
    xor   ebp, ebp
    mov   ecx, dword ptr [rsi + rdi*4 + BOOT_ENTRIES]
    mov   r8, rdi
    mov   edi, dword ptr [rsi + BOOT_NODE_ID]
    mov   rsi, r8
    call  rcx
    mov   rdi, rax
    mov   eax, SYS_EXIT
    int   0x80
halt:
    jmp   halt

; A task's first thread (the kernel's startTask): rsi = entry, rdi = argument, rsp =
; the task area's top (16-byte aligned, so entry sees the SysV alignment after the
; call). Calls entry(argument) and ends the task with the value it returns.
_task_start:
    xor   ebp, ebp
    call  rsi
    mov   rdi, rax
    mov   eax, SYS_TASK_EXIT
    int   0x80
    jmp   halt
