; keystone runs out of WebAssembly memory
main:
    ret
    .fill 0x40000000, 4, 0
