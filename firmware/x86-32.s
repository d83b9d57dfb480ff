; clustervm firmware, x86-32.
; Reset state set by the machine: esi = boot info block, edi = core id.
; Calls the core's program as entry(node, core): eax = node, edx = core, and both
; pushed (cdecl). The program's return value becomes the core's exit status.
_start:
    mov   eax, dword ptr [esi + BOOT_STACK_STRIDE]
    imul  eax, edi
    mov   esp, dword ptr [esi + BOOT_STACK_TOP]
    sub   esp, eax
    xor   ebp, ebp
    mov   ecx, dword ptr [esi + edi*4 + BOOT_ENTRIES]
    mov   eax, dword ptr [esi + BOOT_NODE_ID]
    mov   edx, edi
    push  edx
    push  eax
    call  ecx
    add   esp, 8
    mov   ebx, eax
    mov   eax, SYS_EXIT
    int   0x80
halt:
    jmp   halt

; A task's first thread (the kernel's startTask): esi = entry, edi = argument, esp =
; the task area's top. Calls entry(argument) (cdecl, and in eax too) and ends the task
; with the value it returns.
_task_start:
    xor   ebp, ebp
    mov   eax, edi
    push  edi
    call  esi
    mov   ebx, eax
    mov   eax, SYS_TASK_EXIT
    int   0x80
    jmp   halt
