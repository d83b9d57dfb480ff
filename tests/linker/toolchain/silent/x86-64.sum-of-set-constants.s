; keystone reads [0x1000] (the last constant alone)
.set BASE, 0x40000000
.set PAGE, 0x1000
main:
    mov eax, [BASE + PAGE]
    ret
