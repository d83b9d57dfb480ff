! Each core sums i*i over its share of 1..SUM_N, reports the 64-bit partial sum with
! SYS_REPORT (the boot summary adds them up) and prints it in hex.
! Share: global core g = node * cores + core of T = nodes * cores; the last core also
! takes the remainder. entry(node, core): %o0 = node, %o1 = core.
.set SUM_N, 1048576

main:
    save  %sp, -112, %sp
    set   BOOT_INFO, %l0
    ld    [%l0 + BOOT_CORE_COUNT], %l1
    ld    [%l0 + BOOT_NODE_COUNT], %l2
    umul  %i0, %l1, %l3
    add   %l3, %i1, %l3
    umul  %l2, %l1, %l2
    set   SUM_N, %l4
    wr    %g0, %y
    nop
    nop
    nop
    udiv  %l4, %l2, %l5
    umul  %l3, %l5, %l6
    add   %l6, 1, %l6
    add   %l6, %l5, %l7
    sub   %l2, 1, %l2
    cmp   %l3, %l2
    bne   not_last
    nop
    add   %l4, 1, %l7
not_last:
    clr   %i2
    clr   %i3
sum_loop:
    umul  %l6, %l6, %o0
    rd    %y, %o1
    addcc %i3, %o0, %i3
    addx  %i2, %o1, %i2
    add   %l6, 1, %l6
    cmp   %l6, %l7
    bne   sum_loop
    nop

    mov   %i3, %o0
    mov   %i2, %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    set   label_text, %o0
    call  print
    mov   14, %o1
    call  print_hex
    mov   %i2, %o0
    call  print_hex
    mov   %i3, %o0
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

! print_hex(%o0): eight hex digits, built in the caller's scratch [%sp + 96, %sp + 104)
print_hex:
    add   %sp, 104, %o2
    set   hex_digits, %o3
    mov   8, %o4
hex_digit:
    and   %o0, 15, %o5
    ldub  [%o3 + %o5], %o5
    sub   %o2, 1, %o2
    stb   %o5, [%o2]
    subcc %o4, 1, %o4
    bne   hex_digit
    srl   %o0, 4, %o0
    mov   %o2, %o0
    mov   8, %o1
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    nop

label_text:
    .ascii "partial sum 0x"
hex_digits:
    .ascii "0123456789abcdef"
newline:
    .byte 10
