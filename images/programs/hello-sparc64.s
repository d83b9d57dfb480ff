! Every core prints "hello from node N core C".
! entry(node, core): %o0 = node, %o1 = core. Flat code: Unicorn's sparc64 traps on the
! first `save` (README, "Boot and trap ABI"), so main keeps its frame by hand, 2047-biased as V9 wants:
! 176 bytes of standard frame, then 16 bytes of scratch for print_decimal.
main:
    sub   %sp, 192, %sp
    stx   %o7, [%sp + 2175]
    stx   %l0, [%sp + 2183]
    stx   %l1, [%sp + 2191]
    mov   %o0, %l0
    mov   %o1, %l1
    set   greeting, %o0
    call  print
    mov   16, %o1
    call  print_decimal
    mov   %l0, %o0
    set   core_word, %o0
    call  print
    mov   6, %o1
    call  print_decimal
    mov   %l1, %o0
    set   newline, %o0
    call  print
    mov   1, %o1
    ldx   [%sp + 2175], %o7
    ldx   [%sp + 2183], %l0
    ldx   [%sp + 2191], %l1
    add   %sp, 192, %sp
    retl
    clr   %o0

! print(%o0 = buffer, %o1 = length)
print:
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    nop

! print_decimal(%o0 = unsigned value): digits go to the caller's 16 scratch bytes,
! which end at %sp + 2239 (2047 bias + 192 frame).
print_decimal:
    add   %sp, 2239, %o2
    mov   %o2, %o3
next_digit:
    udivx %o0, 10, %o4
    mulx  %o4, 10, %o5
    sub   %o0, %o5, %o5
    add   %o5, 48, %o5
    sub   %o2, 1, %o2
    stb   %o5, [%o2]
    cmp   %o4, 0
    bne   %xcc, next_digit
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
