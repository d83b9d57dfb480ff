// A console session survives anything typed at it: each bad command prints one `error:`
// line and the next command works. Also: stdin piping, quit, help.
import { describe, expect, it } from 'vitest';
import { TWO_NODES, debugPiped, debugScript, outputs } from './run-debug.js';

/** Bad commands, each answered by exactly one error line. */
const BAD = [
  'frobnicate', 'step 0', 'step -1', 'step 99999999999999999999', 'stepall 1000001', 'step 1 2', 'x/4x 0x0',
  'x/4q 0x110000', 'x/99999999x 0x110000', 'x/4x nosuch', 'x/4x', 'disas 0x0', 'disas 0x110000 0', 'disas foo 5000',
  'break 0x1ffffffff', 'break nosuch', 'break foo n9.c9', 'break foo n0.c0 if', 'break foo n0.c0 if rax == 1',
  'break foo n0.c0 if eax = 1', 'watch 0x40000000 0', 'watch 0x110000 4 sideways', 'core n9.c9', 'core foo', 'delete abc',
  'delete 7', 'info', 'info nope', 'catch nope', 'uncatch', 'help nope', 'help info nope', 'regs nope', 'set eax zz',
  'set nope 1', 'set pc nosuch', 'set eax 0x100000000', 'next 0', 'until nosuch', 'finish now', 'write/q USER_DATA 1',
  'write USER_DATA', 'write 0x10 1', 'x/2dx USER_DATA', 'dump 0x110000 100000000', 'dump 0x10 16',
  'continue now', 'cores/x', 'bind nosuch weak', 'bind foo strong', 'relink foo nosuch',
];

describe('clustervm debug: robustness and input', () => {
  it('answers every bad command with one error line and goes on', async () => {
    const commands = [...BAD, 'step', 'x/s main:of_text', 'quit', 'cores'];
    const result = await debugScript(TWO_NODES, commands);
    const answers = outputs(result, commands.slice(0, -1));
    BAD.forEach((command, i) => {
      expect(answers[i], command).toHaveLength(1);
      expect(answers[i]![0], command).toMatch(/^error: \S/);
    });
    expect(answers.slice(0, 3).map((lines) => lines[0])).toEqual([
      "error: unknown command 'frobnicate' (help lists the commands)",
      "error: step: expected a count from 1 to 1000000, got '0'",
      "error: step: expected a count from 1 to 1000000, got '-1'",
    ]);
    expect(answers[BAD.indexOf('x/4x 0x0')]).toEqual(['error: cannot read 16 bytes at 0x0: not mapped on n0.c0']);
    expect(answers[BAD.indexOf('break 0x1ffffffff')]).toEqual(["error: address '0x1ffffffff' is outside what x86-32 can address"]);
    // Still alive: the selected core steps from where it was, memory reads.
    const [step, string, quit] = answers.slice(BAD.length);
    expect(step).toEqual(['n0.c0 at 0x102003 <firmware+3>', '=> 0x102003 <firmware+3>:  imul eax, edi']);
    expect(string).toEqual(['0x110080:  " of  calls of f reached f.lwp\\n"']);
    // Nothing runs after quit.
    expect(quit).toEqual([]);
  });

  it('reads commands piped into stdin as from a script, with the same transcript', async () => {
    const commands = ['break foo n1.c0', 'c', 's', 'info registers eip', 'disas', 'time'];
    const piped = await debugPiped(TWO_NODES, commands);
    const scripted = await debugScript(TWO_NODES, commands);
    expect(piped.stdout).toBe(scripted.stdout);
    const [, stop, , eip] = outputs(piped, commands);
    expect(stop![0]).toBe('n1.c0 stopped at breakpoint 1, 0x1100c0 <foo>');
    expect(eip).toEqual(['eip  0x001100c4 <foo+4>']);
  });

  it('lists every command in help and explains one', async () => {
    const commands = ['help', 'help break', 'help info', 'help info dsm', '# a comment', '', 'help x'];
    const result = await debugScript(TWO_NODES, commands);
    const [list, brk, info, dsm, x] = outputs(result, ['help', 'help break', 'help info', 'help info dsm', 'help x']);
    const listed = list.map((line) => line.split(/[\s[/]/)[0]);
    expect(listed).toEqual([
      'core', 'cores', 'step', 'next', 'until', 'finish', 'stepall', 'continue',
      'reverse-stepi', 'reverse-continue', 'checkpoint', 'restart', 'break', 'tbreak', 'watch', 'delete', 'enable',
      'disable', 'catch', 'uncatch', 'regs', 'set', 'print', 'x', 'write', 'dump', 'disas', 'bind', 'relink', 'time', 'info',
      'help', 'quit',
    ]);
    expect(brk[0]).toBe('break ADDR|SYMBOL|FILE.c:LINE[+OFF] [n<node>.c<core>|all] [if REG OP VALUE]');
    expect(brk).toContain('aliases: b');
    expect(info.filter((line) => line.startsWith('info '))).toHaveLength(1 + 10);
    expect(info.some((line) => line.startsWith('  tasks') || line.includes('info tasks'))).toBe(true);
    expect(dsm).toEqual(['info dsm', 'the DSM: counters per node, then per page that saw traffic, and the global time']);
    expect(x[0]).toBe('x[/N[FMT][SIZE]] EXPR');
    expect(x).toContain('SIZE is b, h, w or g (1, 2, 4 or 8 bytes; default the ISA\'s word). Values are read in the guest\'s');
  });
});
