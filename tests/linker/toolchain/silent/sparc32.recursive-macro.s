! keystone drops a recursive macro (and its uses) without a word
.macro twice n
    nop
    twice n
.endm
main:
    twice 1
    retl
    nop
