! keystone: Invalid operand
main:
    set USER_DATA + 2, %g1
    retl
    nop
