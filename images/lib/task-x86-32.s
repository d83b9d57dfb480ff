; Remote tasking for x86-32 guests (cdecl; results in eax, task_wait's 64 bits in
; edx:eax). The syscall arguments go in ebx ecx edx esi, of which ebx and esi are the
; caller's, so they are saved around the trap.
.globl rfork, rspawn, task_wait, migrate, task_exit, task_id, parent_id, task_map

; rfork(entry, argument, nodes, count | how): the first task's id
rfork:
    mov   eax, SYS_RFORK
    jmp   four_arguments

; rspawn(name, argument, nodes, count | how): the first task's id
rspawn:
    mov   eax, SYS_RSPAWN
four_arguments:
    push  ebx
    push  esi
    mov   ebx, dword ptr [esp + 12]
    mov   ecx, dword ptr [esp + 16]
    mov   edx, dword ptr [esp + 20]
    mov   esi, dword ptr [esp + 24]
    int   0x80
    pop   esi
    pop   ebx
    ret

; task_wait(id): the child's exit value
task_wait:
    mov   eax, SYS_TASK_WAIT
    jmp   one_argument

; migrate(node): 0, on the new node
migrate:
    mov   eax, SYS_MIGRATE
    jmp   one_argument

; task_exit(value): does not return
task_exit:
    mov   eax, SYS_TASK_EXIT
one_argument:
    push  ebx
    mov   ebx, dword ptr [esp + 8]
    int   0x80
    pop   ebx
    ret

task_id:
    mov   eax, SYS_TASK_ID
    int   0x80
    ret

parent_id:
    mov   eax, SYS_PARENT_ID
    int   0x80
    ret

; task_map(bytes, prot): the new VM area's address
task_map:
    push  ebx
    mov   ebx, dword ptr [esp + 8]
    mov   ecx, dword ptr [esp + 12]
    mov   eax, SYS_TASK_MAP
    int   0x80
    pop   ebx
    ret
