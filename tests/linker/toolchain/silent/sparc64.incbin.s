! keystone drops .incbin without a word
main:
    retl
    nop
    .incbin "blob.bin"
