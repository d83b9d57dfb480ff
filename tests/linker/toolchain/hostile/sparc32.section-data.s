! keystone prints error: and succeeds, then the label table is garbage
main:
    retl
    nop
    .section .data
value:
    .word 1
