! clustervm firmware, sparc64.
! Reset state set by the machine: %g2 = boot info block, %g3 = core id.
! Calls the core's program as entry(node, core): %o0 = node, %o1 = core. The value
! it returns in %o0 becomes the core's exit status. The V9 ABI biases %sp by 2047
! and wants a 176-byte frame below it: 2047 + 176 = 2223. No `save`: a sparc64 engine
! has no free register window (linker/encoders/sparc.ts).
_start:
    lduw  [%g2 + BOOT_STACK_STRIDE], %g4
    mulx  %g4, %g3, %g4
    lduw  [%g2 + BOOT_STACK_TOP], %g5
    sub   %g5, %g4, %g5
    sub   %g5, 2223, %sp
    mov   %g0, %fp
    sllx  %g3, 2, %g4
    add   %g2, %g4, %g4
    lduw  [%g4 + BOOT_ENTRIES], %g4
    lduw  [%g2 + BOOT_NODE_ID], %o0
    call  %g4
    mov   %g3, %o1
    mov   SYS_EXIT, %g1
    ta    0x10
halt:
    ba    halt
    nop

! A task's first thread (the kernel's startTask): %g2 = entry, %g3 = argument, %sp =
! the task area's top, less the 176-byte frame and the 2047 stack bias. Calls
! entry(argument) and ends the task with the value it returns.
_task_start:
    sub   %sp, 2223, %sp
    mov   %g0, %fp
    call  %g2
    mov   %g3, %o0
    mov   SYS_TASK_EXIT, %g1
    ta    0x10
    ba    halt
    nop
