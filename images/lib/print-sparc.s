! print_decimal(%o0 = value): writes the low 32 bits of value, unsigned, in decimal.
! A flat leaf routine for sparc32 and sparc64 (no save/restore: Unicorn's sparc64
! traps on the first `save`); it uses %o0-%o5 and %g1. The digits go to 16 bytes it
! takes below the caller's stack: sparc64 biases %sp by 2047, so an odd %sp means the
! real top of the stack is %sp + 2047.
.globl print_decimal
print_decimal:
    sub   %sp, 16, %sp
    and   %sp, 1, %o4
    sll   %o4, 11, %o5
    sub   %o5, %o4, %o5
    add   %sp, %o5, %o2
    add   %o2, 16, %o2
    mov   %o2, %o3
    srl   %o0, 0, %o0
digit:
    wr    %g0, %y
    udiv  %o0, 10, %o4
    umul  %o4, 10, %o5
    sub   %o0, %o5, %o5
    add   %o5, 48, %o5
    sub   %o2, 1, %o2
    stb   %o5, [%o2]
    cmp   %o4, 0
    bne   digit
    mov   %o4, %o0
    mov   %o2, %o0
    sub   %o3, %o2, %o1
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    add   %sp, 16, %sp
