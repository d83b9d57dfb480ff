; Remote tasking for x86-64 guests (SysV; results in rax). The syscall takes its fourth
; argument in r10, where SysV passes it in rcx.
.globl rfork, rspawn, task_wait, migrate, task_exit, task_id, parent_id, task_map

; rfork(entry, argument, nodes, count | how): the first task's id
rfork:
    mov   eax, SYS_RFORK
    jmp   trap

; rspawn(name, argument, nodes, count | how): the first task's id
rspawn:
    mov   eax, SYS_RSPAWN
    jmp   trap

; task_wait(id): the child's exit value
task_wait:
    mov   eax, SYS_TASK_WAIT
    jmp   trap

; migrate(node): 0, on the new node
migrate:
    mov   eax, SYS_MIGRATE
    jmp   trap

; task_exit(value): does not return
task_exit:
    mov   eax, SYS_TASK_EXIT
    jmp   trap

task_id:
    mov   eax, SYS_TASK_ID
    jmp   trap

parent_id:
    mov   eax, SYS_PARENT_ID
    jmp   trap

; task_map(bytes, prot): the new VM area's address
task_map:
    mov   eax, SYS_TASK_MAP
trap:
    mov   r10, rcx
    int   0x80
    ret
