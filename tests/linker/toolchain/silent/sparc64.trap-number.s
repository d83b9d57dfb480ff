! keystone assembles ta 0x2c (the low 8 bits of 300)
.set MY_TRAP, 300
main:
    ta MY_TRAP
    retl
    nop
