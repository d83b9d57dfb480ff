! The tasking library images/lib/task-sparc.s from sparc32 assembly (tests/tasks/task-calls.test.ts).
! main maps two pages (task_map), stores 40 in word 0 of page 0 and 2 in word 0 of
! page 1, forks `entry` onto nodes 1 and 2 by crtc (rfork), waits for both
! (task_wait) and reports the sum of their values. Task k reads word 0 of page k - 2
! and ends with word * 100 + parent id * 10 + k (task_id, parent_id): an odd task by
! task_exit, an even one by returning; task 2 first migrates to node 3 (migrate).
! Both routines keep the ABI's register windows (save/restore).
.extern rfork, task_wait, migrate, task_exit, task_id, parent_id, task_map
main:
    save  %sp, -104, %sp
    set   8192, %o0
    mov   TASK_READ, %o1
    call  task_map
    or    %o1, TASK_WRITE, %o1
    mov   %o0, %l0
    mov   40, %o1
    st    %o1, [%l0]
    set   4096, %o2
    mov   2, %o1
    st    %o1, [%l0 + %o2]
    add   %sp, 96, %l1
    mov   1, %o1
    st    %o1, [%l1]
    mov   2, %o1
    st    %o1, [%l1 + 4]
    set   entry, %o0
    mov   %l0, %o1
    mov   %l1, %o2
    set   TASK_CRTC, %o3
    call  rfork
    or    %o3, 2, %o3
    mov   %o0, %l2
    call  task_wait
    mov   %l2, %o0
    mov   %o0, %l3
    call  task_wait
    add   %l2, 1, %o0
    add   %l3, %o0, %o0
    mov   0, %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    ret
    restore %g0, 0, %o0

! entry(area)
entry:
    save  %sp, -96, %sp
    call  task_id
    nop
    mov   %o0, %l0
    cmp   %l0, 2
    bne   stay
    nop
    call  migrate
    mov   3, %o0
stay:
    sub   %l0, 2, %o1
    sll   %o1, 12, %o1
    ld    [%i0 + %o1], %l1
    smul  %l1, 100, %l1
    add   %l1, %l0, %l1
    call  parent_id
    nop
    smul  %o0, 10, %o0
    add   %l1, %o0, %l1
    andcc %l0, 1, %g0
    be    give_back
    nop
    call  task_exit
    mov   %l1, %o0
give_back:
    ret
    restore %l1, 0, %o0
