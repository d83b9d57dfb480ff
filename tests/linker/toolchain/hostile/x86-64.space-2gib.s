; keystone runs out of WebAssembly memory
main:
    ret
    .space 0x7fffffff
