// Re-linking from the console on images/flink.json: a two-phase commit coordinated by the
// selected core, the relink catchpoint, and the binding table before and after.
import { describe, expect, it } from 'vitest';
import { debugScript, outputs } from './run-debug.js';

describe('clustervm debug: relink and bind', () => {
  it('relinks f by agreement, catches the re-link and shows the new binding', async () => {
    const commands = [
      'info bindings', 'catch relink', 'relink f f.lwp', 'info bindings', 'bind foo weak', 'info bindings',
      'relink f nosuch', 'info symbols f', 'disas 0x110140 2', 'continue',
    ] as const;
    const [initial, , relink, relinked, bind, bound, bad, symbols, lwp, policy] =
      outputs(await debugScript('images/flink.json', commands), commands);
    expect(initial).toEqual([
      'symbol         intensity  module  via                                    mediator calls  n0.c0 replica',
      '-------------  ---------  ------  -------------------------------------  --------------  -------------',
      'foo            mediated   foo     trampoline 0x1f0040                                 0  foo',
      'f              weak       f.seq   mediator                                            0  f.seq',
      'greet          failsafe   greet   fail-safe entry (links on first call)               0  greet',
      'print_decimal  immediate  print   call sites                                          0  print',
    ]);
    // The decision patches the code (caught) with the node's cores held at its virtual
    // time, 300 ns; the acknowledgements come once the cluster runs on.
    expect(relink).toEqual([
      'relink f -> f.lwp on node 0: proposed by n0.c0 at 0 ns',
      'caught relink: node 0 re-linked f (now f.lwp, weak)',
      '=> 0x110100 <f>:  xor eax, eax',
      'relink f -> f.lwp on node 0 is pending: it finishes as the cluster runs on',
    ]);
    expect(relinked[3]).toMatch(/^f {14}weak {7}f\.lwp {3}mediator {4}.* f\.lwp$/);
    expect(bind).toEqual(['foo bound weak on node 0']);
    expect(bound[2]).toMatch(/^foo {12}weak {7}foo {5}mediator {4}/);
    expect(bad).toEqual(['error: module \'nosuch\' does not export f (f.seq, f.lwp)']);
    // Both alternatives export f: each is listed with its module, and code in either reads <f>.
    expect(symbols).toEqual([
      '0x00110080  main:of_text',
      '0x001100c0  foo',
      '0x00110100  f  [f.seq]',
      '0x00110140  f  [f.lwp]',
      '0x001f001d  mediator_failsafe  [mediator]',
      '0x001f0040  trampoline:foo  [trampoline]',
    ]);
    expect(lwp).toEqual(['   0x110140 <f>:  mov eax, 1', '   0x110145 <f+5>:  ret']);
    // A user's bind is not caught; the next re-link the kernel makes is (the link policy).
    expect(policy.slice(0, 2)).toEqual([
      'relink f -> f.lwp on node 0 committed: decided at 300 ns, every replica acknowledged at 600 ns',
      'caught relink: node 0 re-linked f (now f.seq, weak)',
    ]);
  });
});
