// The console through the real CLI: a breakpoint at a linker symbol on node 1 core 0,
// continue, step, registers, memory and disassembly, with exact output lines.
import { describe, expect, it } from 'vitest';
import { TWO_NODES, debugScript, outputs } from './run-debug.js';

describe('clustervm debug: breakpoints, stepping and inspection', () => {
  it('stops n1.c0 at foo and shows its registers, stack, code and symbols', async () => {
    const commands = [
      'break foo n1.c0', 'continue', 'step', 'regs', 'x/2x 0x4fffd8', 'x/8b foo', 'dump main:calls_text 26',
      'disas', 'disas main:next 3', 'disas trampoline:foo 1', 'disas mediator 2', 'info breakpoints', 'cores', 'quit',
    ] as const;
    const [brk, cont, step, regs, stack, bytes, dump, disas, main, trampoline, mediator, info, cores, quit] =
      outputs(await debugScript(TWO_NODES, commands), commands);
    expect(brk).toEqual(['breakpoint 1 at 0x1100c0 <foo> on n1.c0']);
    // Node 0's cores run their quanta first, through foo, without stopping.
    expect(cont).toEqual([
      'n1.c0 stopped at breakpoint 1, 0x1100c0 <foo>',
      '=> 0x1100c0 <foo>:  mov eax, dword ptr [esp + 4]',
    ]);
    expect(step).toEqual(['n1.c0 at 0x1100c4 <foo+4>', '=> 0x1100c4 <foo+4>:  inc eax']);
    expect(regs).toEqual([
      'eax     0x00000000', 'ebx     0x00000000', 'ecx     0x00110000', 'edx     0x00000000',
      'esi     0x00000000', 'edi     0x000003e8', 'ebp     0x00000000', 'esp     0x004fffd8',
      'eip     0x001100c4 <foo+4>', 'eflags  0x00000046',
    ]);
    // The return address into main (after the call through foo's trampoline), then foo's argument i = 0.
    expect(stack).toEqual(['0x004fffd8:  0x0011001a 0x00000000                        |........|']);
    expect(bytes).toEqual(['0x001100c0  8b 44 24 04 40 c3 00 00                           |.D$.@...|']);
    expect(dump).toEqual([
      '0x00110084  20 63 61 6c 6c 73 20 6f  66 20 66 20 72 65 61 63  | calls of f reac|',
      '0x00110094  68 65 64 20 66 2e 6c 77  70 0a                    |hed f.lwp.|',
    ]);
    expect(disas.slice(0, 3)).toEqual([
      '   0x1100c0 <foo>:  mov eax, dword ptr [esp + 4]',
      '=> 0x1100c4 <foo+4>:  inc eax',
      '   0x1100c5 <foo+5>:  ret',
    ]);
    expect(disas).toHaveLength(10);
    expect(main).toEqual([
      '   0x110014 <main:next>:  push esi',
      '   0x110015 <main:next+1>:  call 0x1f0040 <trampoline:foo>',
      '   0x11001a <main:next+6>:  add ebx, eax',
    ]);
    expect(trampoline).toEqual(['   0x1f0040 <trampoline:foo>:  jmp 0x1100c0 <foo>  [trampoline foo]']);
    expect(mediator).toEqual([
      '   0x1f0000 <mediator>:  shl eax, 4  [mediator]',
      '   0x1f0003 <mediator+3>:  inc dword ptr [eax + 0x20000c]  [mediator]',
    ]);
    expect(info).toEqual([
      'id  type   where           scope  condition  hits',
      '--  -----  --------------  -----  ---------  ----',
      ' 1  break  0x1100c0 <foo>  n1.c0                1',
      'catching no events',
    ]);
    // A quantum ends at the first block start past its 1000 instructions: n0's cores
    // stop three instructions on, where the mediator's counting block ends.
    expect(cores).toEqual([
      '   core   isa     status  pc                      instructions  virtual ns',
      '-  -----  ------  ------  ----------------------  ------------  ----------',
      '   n0.c0  x86-32  ready   0x1f0012 <mediator+18>          1003        1003',
      '   n0.c1  x86-32  ready   0x1f0012 <mediator+18>          1003        1003',
      '*  n1.c0  x86-32  ready   0x1100c4 <foo+4>                  25          25',
      '   n1.c1  x86-32  ready   0x102000 <firmware>                0           0',
    ]);
    expect(quit).toEqual([]);
  });

  it('stops only where a condition holds, on whichever core gets there', async () => {
    const commands = [
      'break foo all if esi == 5', 'continue', 'regs esi', 'continue', 'continue', 'continue', 'info breakpoints',
      'delete 1', 'continue',
    ] as const;
    const [brk, first, esi, second, third, fourth, info, del, end] = outputs(await debugScript(TWO_NODES, commands), commands);
    expect(brk).toEqual(['breakpoint 1 at 0x1100c0 <foo> on all cores if esi == 5']);
    expect(first[0]).toBe('n0.c0 stopped at breakpoint 1, 0x1100c0 <foo>');
    expect(esi).toEqual(['esi  0x00000005']);
    expect([second[0], third[0], fourth[0]]).toEqual([
      'n0.c1 stopped at breakpoint 1, 0x1100c0 <foo>',
      'n1.c0 stopped at breakpoint 1, 0x1100c0 <foo>',
      'n1.c1 stopped at breakpoint 1, 0x1100c0 <foo>',
    ]);
    expect(info[2]).toBe(' 1  break  0x1100c0 <foo>  all cores  if esi == 5     4');
    expect(del).toEqual(['deleted 1']);
    // Without the breakpoint the demo runs out: each core's console line, then the end.
    expect(end.filter((line) => /^n\d\.c\d core \d: greet linked on first call/.test(line))).toHaveLength(4);
    expect(end[end.length - 1]).toBe('every core has exited or faulted');
  });
});
