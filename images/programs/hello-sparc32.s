! Every core prints "hello from node N core C".
! entry(node, core): %o0 = node, %o1 = core. One register window deep: print and
! print_decimal are leaf routines without `save`.
main:
    save  %sp, -112, %sp
    set   greeting, %o0
    call  print
    mov   16, %o1
    call  print_decimal
    mov   %i0, %o0
    set   core_word, %o0
    call  print
    mov   6, %o1
    call  print_decimal
    mov   %i1, %o0
    set   newline, %o0
    call  print
    mov   1, %o1
    ret
    restore %g0, 0, %o0

! print(%o0 = buffer, %o1 = length)
print:
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    nop

! print_decimal(%o0 = unsigned value): digits go to [%sp + 96, %sp + 112), the
! scratch the caller's frame reserves.
print_decimal:
    add   %sp, 112, %o2
    mov   %o2, %o3
next_digit:
    wr    %g0, %y
    udiv  %o0, 10, %o4
    umul  %o4, 10, %o5
    sub   %o0, %o5, %o5
    add   %o5, 48, %o5
    sub   %o2, 1, %o2
    stb   %o5, [%o2]
    cmp   %o4, 0
    bne   next_digit
    mov   %o4, %o0
    mov   %o2, %o0
    sub   %o3, %o2, %o1
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    nop

greeting:
    .ascii "hello from node "
core_word:
    .ascii " core "
newline:
    .byte 10
