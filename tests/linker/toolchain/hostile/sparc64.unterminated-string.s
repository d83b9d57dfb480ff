! keystone loops forever
main:
    retl
    nop
    .ascii "abc
