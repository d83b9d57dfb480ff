; The tasking library images/lib/task-x86-64.s from assembly (tests/tasks/task-calls.test.ts).
; main maps two pages (task_map), stores 40 in word 0 of page 0 and 2 in word 0 of
; page 1, forks `entry` onto nodes 1 and 2 by crtc (rfork), waits for both
; (task_wait) and reports the sum of their values. Task k reads word 0 of page k - 2
; and ends with word * 100 + parent id * 10 + k (task_id, parent_id): an odd task by
; task_exit, an even one by returning; task 2 first migrates to node 3 (migrate).
.extern rfork, task_wait, migrate, task_exit, task_id, parent_id, task_map
main:
    push  rbx
    push  r12
    push  r13
    mov   edi, 8192
    mov   esi, TASK_READ
    or    esi, TASK_WRITE
    call  task_map
    mov   rbx, rax
    mov   dword ptr [rbx], 40
    mov   dword ptr [rbx + 4096], 2
    sub   rsp, 16
    mov   dword ptr [rsp], 1
    mov   dword ptr [rsp + 4], 2
    lea   rdi, [rip + entry]
    mov   rsi, rbx
    mov   rdx, rsp
    mov   ecx, TASK_CRTC
    or    ecx, 2
    call  rfork
    add   rsp, 16
    mov   r12, rax
    mov   rdi, r12
    call  task_wait
    mov   r13, rax
    lea   rdi, [r12 + 1]
    call  task_wait
    add   r13, rax
    mov   eax, SYS_REPORT
    mov   edi, r13d
    xor   esi, esi
    int   0x80
    xor   eax, eax
    pop   r13
    pop   r12
    pop   rbx
    ret

; entry(area), SysV
entry:
    push  rbx
    push  r12
    push  r13
    mov   r13, rdi
    call  task_id
    mov   r12, rax
    cmp   r12, 2
    jne   stay
    mov   edi, 3
    call  migrate
stay:
    lea   rax, [r12 - 2]
    shl   rax, 12
    mov   ebx, dword ptr [r13 + rax]
    imul  rbx, rbx, 100
    add   rbx, r12
    call  parent_id
    imul  rax, rax, 10
    add   rbx, rax
    test  r12, 1
    jz    give_back
    mov   rdi, rbx
    call  task_exit
give_back:
    mov   rax, rbx
    pop   r13
    pop   r12
    pop   rbx
    ret
