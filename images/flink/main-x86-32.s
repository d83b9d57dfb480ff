; FLink demo, x86-32: core C calls foo and f 1000 * (C + 1) times, then greet once,
; reports the sum of foo's results and prints how many calls of f reached f.lwp.
; foo is bound by the image (mediated), f is weak with two alternatives that a policy
; switches between, greet sits in the module library and is linked on first call.
; Calls between modules are cdecl: arguments on the stack, eax is the linker's scratch.
.extern foo, f, greet, print_decimal
main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    push  edx
    lea   edi, [edx + 1]
    imul  edi, edi, 1000
    xor   ebx, ebx
    xor   esi, esi
    xor   ebp, ebp
next:
    push  esi
    call  foo
    add   ebx, eax
    call  f
    add   esp, 4
    add   ebp, eax
    inc   esi
    cmp   esi, edi
    jb    next
    call  greet
    push  ebp
    call  print_decimal
    add   esp, 4
    mov   eax, SYS_WRITE
    push  ebx
    mov   ebx, of_text
    mov   ecx, 4
    int   0x80
    pop   ebx
    push  edi
    call  print_decimal
    add   esp, 4
    mov   eax, SYS_WRITE
    push  ebx
    mov   ebx, calls_text
    mov   ecx, 26
    int   0x80
    pop   ebx
    mov   eax, SYS_REPORT
    mov   ecx, 0
    push  ebx
    int   0x80
    pop   ebx
    add   esp, 4
    xor   eax, eax
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    ret
of_text:
    .ascii " of "
calls_text:
    .ascii " calls of f reached f.lwp\n"
