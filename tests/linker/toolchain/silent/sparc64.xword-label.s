! keystone puts main's low 32 bits in the high half of the doubleword
main:
    retl
    nop
table:
    .xword main
