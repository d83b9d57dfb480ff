! Remote tasking for sparc32 and sparc64 guests (flat leaf routines): the arguments
! are already where the syscall wants them, %o0-%o3, and so is the result, %o0
! (task_wait's high word on sparc32 comes back in %o1).
.globl rfork, rspawn, task_wait, migrate, task_exit, task_id, parent_id, task_map

! rfork(entry, argument, nodes, count | how): the first task's id
rfork:
    mov   SYS_RFORK, %g1
    ta    0x10
    retl
    nop

! rspawn(name, argument, nodes, count | how): the first task's id
rspawn:
    mov   SYS_RSPAWN, %g1
    ta    0x10
    retl
    nop

! task_wait(id): the child's exit value
task_wait:
    mov   SYS_TASK_WAIT, %g1
    ta    0x10
    retl
    nop

! migrate(node): 0, on the new node
migrate:
    mov   SYS_MIGRATE, %g1
    ta    0x10
    retl
    nop

! task_exit(value): does not return
task_exit:
    mov   SYS_TASK_EXIT, %g1
    ta    0x10
    retl
    nop

task_id:
    mov   SYS_TASK_ID, %g1
    ta    0x10
    retl
    nop

parent_id:
    mov   SYS_PARENT_ID, %g1
    ta    0x10
    retl
    nop

! task_map(bytes, prot): the new VM area's address
task_map:
    mov   SYS_TASK_MAP, %g1
    ta    0x10
    retl
    nop
