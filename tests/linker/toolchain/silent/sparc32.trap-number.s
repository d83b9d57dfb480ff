! keystone assembles ta 0 (the low 8 bits of 0x1000)
main:
    ta 0x1000
    retl
    nop
