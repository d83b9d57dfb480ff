; keystone: Invalid fixup
main:
    push message
    pop eax
    ret
message:
    .ascii "hi"
