! keystone pads for 50 s, then says OK
main:
    retl
    nop
    .balign 0x40000000
