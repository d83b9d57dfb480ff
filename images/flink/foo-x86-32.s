; foo(i) = i + 1
.globl foo
foo:
    mov   eax, dword ptr [esp + 4]
    inc   eax
    ret
