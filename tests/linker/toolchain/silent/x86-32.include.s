; keystone drops .include without a word
.include "other.s"
main:
    ret
