; The tasking library images/lib/task-x86-32.s from assembly (tests/tasks/task-calls.test.ts).
; main maps two pages (task_map), stores 40 in word 0 of page 0 and 2 in word 0 of
; page 1, forks `entry` onto nodes 1 and 2 by crtc (rfork), waits for both
; (task_wait) and reports the sum of their values. Task k reads word 0 of page k - 2
; and ends with word * 100 + parent id * 10 + k (task_id, parent_id): an odd task by
; task_exit, an even one by returning; task 2 first migrates to node 3 (migrate).
.extern rfork, task_wait, migrate, task_exit, task_id, parent_id, task_map
main:
    push  ebx
    push  esi
    push  edi
    mov   eax, TASK_READ
    or    eax, TASK_WRITE
    push  eax
    push  8192
    call  task_map
    add   esp, 8
    mov   esi, eax
    mov   dword ptr [esi], 40
    mov   dword ptr [esi + 4096], 2
    push  2
    push  1
    mov   edi, esp
    mov   eax, TASK_CRTC
    or    eax, 2
    push  eax
    push  edi
    push  esi
    mov   eax, entry
    push  eax
    call  rfork
    add   esp, 24
    mov   edi, eax
    push  edi
    call  task_wait
    add   esp, 4
    mov   esi, eax
    lea   eax, [edi + 1]
    push  eax
    call  task_wait
    add   esp, 4
    add   esi, eax
    mov   eax, SYS_REPORT
    mov   ebx, esi
    xor   ecx, ecx
    int   0x80
    xor   eax, eax
    pop   edi
    pop   esi
    pop   ebx
    ret

; entry(area), cdecl
entry:
    push  ebx
    push  esi
    call  task_id
    mov   esi, eax
    cmp   esi, 2
    jne   stay
    push  3
    call  migrate
    add   esp, 4
stay:
    mov   ebx, dword ptr [esp + 12]
    lea   eax, [esi - 2]
    shl   eax, 12
    mov   ebx, dword ptr [ebx + eax]
    imul  ebx, ebx, 100
    add   ebx, esi
    call  parent_id
    imul  eax, eax, 10
    add   ebx, eax
    test  esi, 1
    jz    give_back
    push  ebx
    call  task_exit
give_back:
    mov   eax, ebx
    pop   esi
    pop   ebx
    ret
