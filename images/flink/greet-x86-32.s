; greet(core): starts the core's report line: "core C: greet linked on first call, ".
.extern print_decimal
.globl greet
greet:
    push  ebx
    mov   eax, SYS_WRITE
    mov   ebx, core_word
    mov   ecx, 5
    int   0x80
    push  dword ptr [esp + 8]
    call  print_decimal
    add   esp, 4
    mov   eax, SYS_WRITE
    mov   ebx, message
    mov   ecx, 30
    int   0x80
    pop   ebx
    ret
core_word:
    .ascii "core "
message:
    .ascii ": greet linked on first call, "
