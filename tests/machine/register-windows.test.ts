// Issue 10, item 10: Unicorn 2.0.1 opens sparc32 with no invalid window, so 20 nested
// `save`s wrapped onto live windows, corrupted registers and ended seconds later as a
// runaway. The machine now marks one window invalid: six nested saves work, the
// seventh stops the core at that `save`, and a `restore` without its save stops it too.
// sparc64 was never silent: its first `save` traps (the spill Unicorn cannot serve).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../emulator/machine/layout.js';
import { TempDir, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** main saves, then nest(n) saves n times: n + 1 nested windows; returns 1 + 2 + ... + n. */
const nesting = (n: number) => `main:
 save %sp, -96, %sp
 call nest
 mov ${n}, %o0
 mov %o0, %i0
 ret
 restore
nest:
 save %sp, -96, %sp
 mov %i0, %l0
 cmp %i0, 1
 be leaf
 nop
 call nest
 sub %i0, 1, %o0
 add %o0, %l0, %i0
 ret
 restore
leaf:
 mov 1, %i0
 ret
 restore
`;

const UNMATCHED_RESTORE = 'main:\n restore\n retl\n nop\n';
/** nest's `save`, where the overflow stops the core: after main's 6 instructions. */
const NEST_SAVE = PROGRAM_BASE + 6 * 4;

interface CoreJson {
  node: number; core: number; status: string; exitStatus: number | null;
  fault: { pc: number; instruction: string; reason: string } | null;
}

describe('register windows', () => {
  let cores: CoreJson[] = [];
  const core = (node: number, id: number) => cores.find((c) => c.node === node && c.core === id)!;

  beforeAll(async () => {
    tmp.file('deep.s', nesting(20));
    tmp.file('six.s', nesting(5));
    tmp.file('restore.s', UNMATCHED_RESTORE);
    const image = tmp.image('windows.json', {
      name: 'windows',
      nodes: [
        { isa: 'sparc32', cores: 3, programs: [
          { source: 'deep.s', cores: [0] }, { source: 'six.s', cores: [1] }, { source: 'restore.s', cores: [2] }] },
        { isa: 'sparc64', cores: 1, programs: [{ source: 'six.s' }] },
      ],
    });
    const result = await runCli(['boot', image, '--json']);
    expect(result.signal).toBeNull();
    cores = (JSON.parse(result.stdout) as { cores: CoreJson[] }).cores;
  }, 60_000);

  it('sparc32: the seventh nested save stops the core at that save', () => {
    expect(core(0, 0)).toMatchObject({
      status: 'faulted',
      fault: { pc: NEST_SAVE, instruction: 'save %sp, -0x60, %sp',
        reason: 'register window overflow (depth 7): use -mflat or shallower calls' },
    });
  });

  it('sparc32: six nested saves keep every register', () => {
    expect(core(0, 1)).toMatchObject({ status: 'exited', exitStatus: 15, fault: null });
  });

  it('sparc32: a restore without its save stops the core', () => {
    expect(core(0, 2)).toMatchObject({
      status: 'faulted', fault: { instruction: 'restore', reason: 'register window underflow' },
    });
  });

  it('sparc64: the first save traps as before', () => {
    expect(core(1, 0)).toMatchObject({
      status: 'faulted',
      fault: { pc: PROGRAM_BASE, reason: 'register window spill trap (sparc64 guests must use flat code: no save/restore)' },
    });
  });
});
