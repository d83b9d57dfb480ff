// Catchpoints on DSM events and a watchpoint on a shared counter, on images/dsm-counter.json
// (eight cores on four x86 nodes increment one DSM word in transactions).
import { describe, expect, it } from 'vitest';
import { debugScript, outputs } from './run-debug.js';

describe('clustervm debug: DSM faults, aborts, commits and a watchpoint', () => {
  it('catches a page fault, an abort and a commit, and watches the counter', async () => {
    const commands = [
      'info dsm', 'catch dsm-fault', 'continue', 'info dsm', 'uncatch dsm-fault', 'catch abort', 'continue', 'info tx',
      'uncatch abort', 'watch 0x40000000 4 access n0.c1', 'continue', 'x/1x 0x40000000', 'step', 'x/1x 0x40000000',
      'delete 1', 'catch commit', 'continue', 'time', 'uncatch all', 'continue',
    ] as const;
    const [before, , fault, after, , , abort, tx, , watch, watched, read1, , read2, , , commit, time, , end] =
      outputs(await debugScript('images/dsm-counter.json', commands), commands);
    expect(before[0]).toBe('DSM: 4096-byte pages, broadcast location, global time 0');
    expect(before[before.length - 1]).toBe('no page has seen traffic yet');
    // Node 0 owns every page at first, so its fault costs no network time; the catch stops
    // n0.c0 right at the faulting instruction, which runs again when it resumes.
    expect(fault).toEqual([
      'caught dsm-fault: n0.c0 faults in page 0x40000000 from its owner',
      '=> 0x110011 <counter:again+10>:  inc dword ptr [ebx]',
    ]);
    expect(after.slice(-3)).toEqual([
      'page  address     faults  requests  transfers  commits  aborts true  aborts false',
      '----  ----------  ------  --------  ---------  -------  -----------  ------------',
      '   0  0x40000000       1         1          1        0            0             0',
    ]);
    expect(abort).toEqual(['caught abort: n0.c0\'s transaction is aborted', '=> 0x110088 <tx_begin+8>:  jmp ecx']);
    expect(tx).toEqual([
      // Every core but the committer was aborted and restarts with empty sets.
      'global time 1; 7 open transactions',
      'core   began  restarts  read set (pages)  write set (pages)',
      '-----  -----  --------  ----------------  -----------------',
      ...['n0.c0', 'n0.c1', 'n1.c0', 'n1.c1', 'n2.c0', 'n3.c0', 'n3.c1'].map((core) => `${core}      1         1  -                 -`),
      'node  commits  aborts  restarts  recoveries',
      '----  -------  ------  --------  ----------',
      'n0          0       2         2           0',
      'n1          0       2         2           0',
      'n2          1       1         1           0',
      'n3          0       2         2           0',
      'no core is blocked',
    ]);
    expect(watch).toEqual(['watchpoint 1 at 0x40000000, 4 bytes (access) on n0.c1']);
    expect(watched).toEqual([
      'n0.c1 stopped at watchpoint 1 (read at 0x40000000), 0x110011 <counter:again+10>',
      '=> 0x110011 <counter:again+10>:  inc dword ptr [ebx]',
    ]);
    // The watchpoint stops before the increment reads n2's committed 1; one step makes it 2,
    // in n0.c1's own copy, and the counter still ends at 400.
    expect(read1).toEqual(['0x40000000:  0x00000001                                   |....|']);
    expect(read2).toEqual(['0x40000000:  0x00000002                                   |....|']);
    expect(commit).toEqual([
      'caught commit: n0.c1 commits page 0x40000000, global time 2',
      '=> 0x110091 <tx_commit+7>:  ret',
    ]);
    expect(time[time.length - 1]).toBe('DSM global time 2');
    expect(time).toHaveLength(2 + 8 + 1);
    expect(end).toContain('n0.c0 done, counter reads 400');
    expect(end[end.length - 1]).toBe('every core has exited or faulted');
  });
});
