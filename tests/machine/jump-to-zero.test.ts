// Issue 10, item 1: a call to address 0 used to stop the engine at once with no error
// (`uc_emu_start(until = 0)`), so the core never retired an instruction and the host
// looped for ever (x86), hung inside libunicorn (sparc64) or faulted at 0x4 (sparc32).
// Now it is a fetch of unmapped memory at 0x0 on every ISA, and the witness node ends.
import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { TempDir, outputLines, parseTextOutput, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const CALL_ZERO: Readonly<Record<IsaName, string>> = {
  'x86-32': 'main:\n xor eax, eax\n call eax\n ret\n',
  'x86-64': 'main:\n xor eax, eax\n call rax\n ret\n',
  sparc32: 'main:\n call %g0\n nop\n retl\n nop\n',
  sparc64: 'main:\n call %g0\n nop\n retl\n nop\n',
};

const WITNESS = 'main:\n mov eax, 7\n ret\n';
const FAULT = 'n0.c0 fault at pc 0x0 (unmapped): fetch of unmapped memory at 0x0';
/** A hang turns into a failed test well before vitest's own timeout. */
const BOUND_MS = 40_000;

function imageCallingZero(isa: IsaName): string {
  tmp.file(`zero-${isa}.s`, CALL_ZERO[isa]);
  tmp.file('witness.s', WITNESS);
  return tmp.image(`zero-${isa}.json`, {
    name: `zero-${isa}`,
    nodes: [
      { isa, cores: 1, programs: [{ source: `zero-${isa}.s` }] },
      { isa: 'x86-32', cores: 1, programs: [{ source: 'witness.s' }] },
    ],
  });
}

describe.concurrent('a call to address 0 faults its core; the host goes on', () => {
  for (const isa of Object.keys(CALL_ZERO) as IsaName[]) {
    it(`${isa}: boot reports a fetch of unmapped memory at 0x0`, async () => {
      const result = await runCli(['boot', imageCallingZero(isa), '--max-instructions', '100000'], BOUND_MS);
      expect(result.signal, 'the CLI ended by itself').toBeNull();
      expect(result.code).toBe(1);
      const { before, rows } = parseTextOutput(result.stdout);
      expect(before).toEqual([FAULT]);
      expect(rows[0]).toMatchObject({ core: 'n0.c0', isa, status: 'faulted', faults: 1 });
      expect(rows[1]).toMatchObject({ core: 'n1.c0', status: 'exited', exit: '7' });
    }, BOUND_MS + 5_000);
  }

  it('x86-64: the debugger\'s continue stops at the fault', async () => {
    const script = tmp.file('continue.txt', 'continue\ncores\n');
    const result = await runCli(['debug', imageCallingZero('x86-64'), '--script', script], BOUND_MS);
    expect(result.signal, 'the debugger ended by itself').toBeNull();
    const lines = outputLines(result.stdout);
    expect(lines.slice(0, 2)).toEqual(['> continue', FAULT]);
    expect(lines.find((line) => /^\*?\s+n0\.c0\s/.test(line))).toMatch(/\sfaulted\s/);
  }, BOUND_MS + 5_000);
});
