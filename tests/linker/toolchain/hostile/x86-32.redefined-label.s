; keystone names the file's last line
main:
    xor eax, eax
main:
    ret
    nop
    nop
