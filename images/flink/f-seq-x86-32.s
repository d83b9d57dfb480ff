; f, the sequential alternative: answers 0
.globl f
f:
    xor   eax, eax
    ret
