! Compute-bound loop for the boot benchmark: ITERATIONS rounds of seven register-only
! instructions, then SYS_EXIT 0 by trap rather than `ret`, so the native driver can run
! the same bytes straight from `main` without the firmware. Seven is prime to every
! quantum (powers of ten), so within seven quanta one ends in the delay slot; its
! replay resumes at the loop head, and from there the TypeScript and the native run,
! whose start-up lengths differ, end their quanta at the same spots.
! Flat code: no save.
.set ITERATIONS, 35000000

main:
    set   ITERATIONS, %o2
    clr   %o3
    mov   1, %o4
    clr   %o5
spin:
    add   %o3, %o2, %o3
    xor   %o4, %o3, %o4
    add   %o5, %o4, %o5
    srlx  %o5, 1, %o1
    subcc %o2, 1, %o2
    bne   %xcc, spin
    xor   %o4, %o1, %o4
    clr   %o0
    mov   SYS_EXIT, %g1
    ta    0x10
