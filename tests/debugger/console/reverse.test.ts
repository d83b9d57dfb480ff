// Going back in the console: reverse-stepi, reverse-continue, checkpoint and restart
// restore a snapshot the session kept and run forward again, so the registers, the DSM
// and memory come back exactly, and the run then goes on to the free run's end.
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../../emulator/index.js';
import { debugScript, outputs } from './run-debug.js';

const chain = (isa: string) => `tests/debugger/gdb/images/c-chain-${isa}.json`;

describe('console reverse execution', () => {
  it.each(['x86-32', 'sparc32'])('%s: reverse-stepi 3 after step 3 and reverse-continue give back the registers of then', async (isa) => {
    const commands = [
      'break step', 'continue', 'regs', 'continue', 'regs', 'step 3', 'regs', 'reverse-stepi 3', 'regs',
      'reverse-continue', 'regs', 'reverse-continue', 'regs',
    ] as const;
    const [, , first, , second, , ahead, back, backRegs, previous, previousRegs, start, startRegs] =
      outputs(await debugScript(chain(isa), commands), commands);
    expect(ahead).not.toEqual(second);
    expect(back[0]).toMatch(/^n0\.c0 at 0x[0-9a-f]+ <step>/);
    expect(backRegs).toEqual(second);
    expect(previous[0]).toMatch(/^n0\.c0 stopped at breakpoint 1, 0x[0-9a-f]+ <step>/);
    expect(previousRegs).toEqual(first);
    expect(start[0]).toMatch(/^no more reverse-execution history; n0\.c0 at 0x102000 <firmware>/);
    expect(startRegs).not.toEqual(first);
  });

  it('refuses a --history-every that is not a positive count', async () => {
    const result = await debugScript('images/flink.json', ['quit'], ['--history-every', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("clustervm: --history-every: expected a positive integer, got '0'\n");
  });

  it('DSM transactions: back two hits is the state of then (registers, DSM counters, memory); the run then ends as a free one', async () => {
    const look = ['regs', 'info dsm', 'x/1w DSM_BASE'] as const;
    const commands = [
      'break counter:again n1.c1', 'continue', 'continue', 'continue', ...look, 'continue', 'continue',
      'reverse-continue', 'reverse-continue', ...look, 'delete 1', 'continue',
    ] as const;
    // Snapshots every 3,000 instructions: going back starts from a later one, a hit is
    // looked for stretch by stretch, and the 48 MB snapshots are thinned past the bound.
    const result = await debugScript('images/dsm-counter.json', commands, ['--history-every', '3000']);
    const out = outputs(result, commands);
    const then = out.slice(4, 7);
    expect(then[1]!.join('\n')).toMatch(/commits/);
    expect(out.slice(11, 14)).toEqual(then);
    const freeLines: string[] = [];
    const cluster = await bootImage('images/dsm-counter.json', { maxInstructions: 10_000_000, console: (line) => freeLines.push(line) });
    try {
      cluster.run({ quantum: 1000 });
    } finally {
      cluster.close();
    }
    expect(freeLines).toHaveLength(8);
    expect(out.at(-1)!.filter((line) => line.includes('counter reads'))).toEqual(freeLines);
  });

  it('restart goes to a checkpoint back and forth; history starts again after set, with a reason', async () => {
    const commands = [
      'break foo n0.c0', 'continue', 'checkpoint', 'regs', 'continue', 'checkpoint', 'regs', 'continue',
      'restart 1', 'regs', 'restart 2', 'regs', 'info checkpoints', 'set ebx 7', 'reverse-stepi', 'restart 1',
    ] as const;
    const out = outputs(await debugScript('images/flink.json', commands), commands);
    expect(out[2]).toEqual([expect.stringMatching(/^checkpoint 1: n0\.c0 at instruction \d+, \d+ ns$/)]);
    expect(out[5]).toEqual([expect.stringMatching(/^checkpoint 2: /)]);
    expect(out[6]).not.toEqual(out[3]);
    expect(out[8][0]).toBe('back at checkpoint 1');
    expect(out[9]).toEqual(out[3]);
    expect(out[11]).toEqual(out[6]);
    expect(out[12].join('\n')).toMatch(/^checkpoint +round +instructions\n[- ]+\n1 +\d+ +\d+\n2 +\d+ +\d+$/);
    expect(out[14]).toEqual(['error: no reverse-execution history: history starts after set ebx']);
    expect(out[15]).toEqual(['error: no checkpoint 1 (history starts after set ebx)']);
  });
});
