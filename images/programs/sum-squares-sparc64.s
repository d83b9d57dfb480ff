! Each core sums i*i over its share of 1..SUM_N, reports the 64-bit partial sum with
! SYS_REPORT (the boot summary adds them up) and prints it in hex.
! Share: global core g = node * cores + core of T = nodes * cores; the last core also
! takes the remainder. entry(node, core): %o0 = node, %o1 = core.
! Flat code (no save: sparc64 traps on the first one): main saves %l0-%l7 and %o7 in its frame's register
! save area; the frame is 176 bytes plus 16 of scratch, 2047-biased.
.set SUM_N, 1048576

main:
    sub   %sp, 192, %sp
    stx   %l0, [%sp + 2047]
    stx   %l1, [%sp + 2055]
    stx   %l2, [%sp + 2063]
    stx   %l3, [%sp + 2071]
    stx   %l4, [%sp + 2079]
    stx   %l5, [%sp + 2087]
    stx   %l6, [%sp + 2095]
    stx   %l7, [%sp + 2103]
    stx   %o7, [%sp + 2111]
    set   BOOT_INFO, %l0
    lduw  [%l0 + BOOT_CORE_COUNT], %l1
    lduw  [%l0 + BOOT_NODE_COUNT], %l2
    mulx  %o0, %l1, %l3
    add   %l3, %o1, %l3
    mulx  %l2, %l1, %l2
    set   SUM_N, %l4
    udivx %l4, %l2, %l5
    mulx  %l3, %l5, %l6
    add   %l6, 1, %l6
    add   %l6, %l5, %l7
    sub   %l2, 1, %l2
    cmp   %l3, %l2
    bne   %xcc, not_last
    nop
    add   %l4, 1, %l7
not_last:
    clr   %l0
sum_loop:
    mulx  %l6, %l6, %o0
    add   %l0, %o0, %l0
    add   %l6, 1, %l6
    cmp   %l6, %l7
    bne   %xcc, sum_loop
    nop

    srl   %l0, 0, %o0
    srlx  %l0, 32, %o1
    mov   SYS_REPORT, %g1
    ta    0x10
    set   label_text, %o0
    call  print
    mov   14, %o1
    call  print_hex
    srlx  %l0, 32, %o0
    call  print_hex
    srl   %l0, 0, %o0
    set   newline, %o0
    call  print
    mov   1, %o1
    ldx   [%sp + 2047], %l0
    ldx   [%sp + 2055], %l1
    ldx   [%sp + 2063], %l2
    ldx   [%sp + 2071], %l3
    ldx   [%sp + 2079], %l4
    ldx   [%sp + 2087], %l5
    ldx   [%sp + 2095], %l6
    ldx   [%sp + 2103], %l7
    ldx   [%sp + 2111], %o7
    add   %sp, 192, %sp
    retl
    clr   %o0

! print(%o0 = buffer, %o1 = length)
print:
    mov   SYS_WRITE, %g1
    ta    0x10
    retl
    nop

! print_hex(%o0): eight hex digits, built in the caller's scratch, which ends at
! %sp + 2231 (2047 bias + 176 frame + 8)
print_hex:
    add   %sp, 2231, %o2
    set   hex_digits, %o3
    mov   8, %o4
hex_digit:
    and   %o0, 15, %o5
    ldub  [%o3 + %o5], %o5
    sub   %o2, 1, %o2
    stb   %o5, [%o2]
    subcc %o4, 1, %o4
    bne   %icc, hex_digit
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
