! clustervm firmware, sparc32.
! Reset state set by the machine: %g2 = boot info block, %g3 = core id.
! Calls the core's program as entry(node, core): %o0 = node, %o1 = core. The value
! it returns in %o0 becomes the core's exit status. No `save` here: the firmware leaves
! the whole window depth to programs (register windows: linker/encoders/sparc.ts).
_start:
    ld    [%g2 + BOOT_STACK_STRIDE], %g4
    umul  %g4, %g3, %g4
    ld    [%g2 + BOOT_STACK_TOP], %g5
    sub   %g5, %g4, %g5
    sub   %g5, 96, %sp
    mov   %g0, %fp
    sll   %g3, 2, %g4
    add   %g2, %g4, %g4
    ld    [%g4 + BOOT_ENTRIES], %g4
    ld    [%g2 + BOOT_NODE_ID], %o0
    call  %g4
    mov   %g3, %o1
    mov   SYS_EXIT, %g1
    ta    0x10
halt:
    ba    halt
    nop

! A task's first thread (the kernel's startTask): %g2 = entry, %g3 = argument, %sp =
! the task area's top, less the 96-byte frame entry may save its registers in. Calls
! entry(argument) and ends the task with the value it returns.
_task_start:
    sub   %sp, 96, %sp
    mov   %g0, %fp
    call  %g2
    mov   %g3, %o0
    mov   SYS_TASK_EXIT, %g1
    ta    0x10
    ba    halt
    nop
