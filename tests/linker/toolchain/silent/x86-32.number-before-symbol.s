; keystone assembles mov eax, dword ptr [0x220000]: a load, not USER_DATA + 4
main:
    mov eax, 4 + USER_DATA
    ret
