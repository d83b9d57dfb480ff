// Guests of random instruction bytes, one per node, beside a witness node that sums
// squares: whatever the random code does (fault, trap, loop, crash the engine), the host
// survives, every random core ends with a report, and the witness finishes with the
// result computed here independently.
import { afterAll, describe, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { REPO_ROOT, TempDir, runCli } from '../support/index.js';
import { SeededRandom } from './seeded-random.js';

const GUESTS_PER_ISA = 64;
const GUEST_BYTES = 64;
const SUM_N = 1_048_576n;
const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
const SEEDS: Readonly<Record<IsaName, number>> = { 'x86-32': 0x1001, 'x86-64': 0x1002, sparc32: 0x1003, sparc64: 0x1004 };

interface CoreJson {
  readonly node: number;
  readonly status: string;
  readonly exitStatus: number | null;
  readonly result: string | null;
  readonly fault: { readonly reason: string } | null;
}

function randomGuest(isa: IsaName, random: SeededRandom): string {
  const bytes = random.bytes(GUEST_BYTES);
  if (isa.startsWith('x86')) return `main:\n    .byte ${bytes.map((b) => `0x${b.toString(16)}`).join(', ')}\n`;
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    words.push(`0x${(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0).toString(16)}`);
  }
  return `main:\n    .word ${words.join(', ')}\n`;
}

/** The shipped sum-squares program's share on the last of `cores` single-core nodes. */
function witnessShare(cores: number): bigint {
  const first = BigInt(cores - 1) * (SUM_N / BigInt(cores)) + 1n;
  let sum = 0n;
  for (let i = first; i <= SUM_N; i++) sum += i * i;
  return sum;
}

describe('random instruction bytes per ISA, with a witness core on another node', () => {
  const dir = new TempDir();
  afterAll(() => dir.cleanup());

  // Concurrent: sparc64's guests crash the engine, and the supervisor's re-runs that find
  // the crashing core take most of the suite's time in one chain of processes; the other
  // ISAs' runs use the second core meanwhile.
  it.concurrent.for(ISAS)('%s: the host survives, every random core stops with a report, the witness finishes', async (isa, { expect }) => {
    const random = new SeededRandom(SEEDS[isa]);
    const nodes = Array.from({ length: GUESTS_PER_ISA }, (_, n) => {
      dir.file(`${isa}/guest-${n}.s`, randomGuest(isa, random));
      return { isa, cores: 1, ramMiB: 2, programs: [{ source: `guest-${n}.s` }] };
    });
    nodes.push({ isa: 'x86-32', cores: 1, ramMiB: 2, programs: [{ source: `${REPO_ROOT}/images/programs/sum-squares-x86-32.s` }] });
    const image = dir.image(`${isa}/image.json`, { name: `fuzz-${isa}`, nodes });

    const run = await runCli(['boot', image, '--json', '--max-instructions', '200000'], 120_000);

    expect(run.signal, run.stderr).toBeNull();
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr, 'no stack trace').not.toMatch(/^\s+at |node:internal/m);
    const summary = JSON.parse(run.stdout) as { cores: CoreJson[] };
    expect(summary.cores).toHaveLength(GUESTS_PER_ISA + 1);
    const witness = summary.cores[GUESTS_PER_ISA]!;
    expect(witness).toMatchObject({ status: 'exited', exitStatus: 0, result: witnessShare(GUESTS_PER_ISA + 1).toString() });
    for (const core of summary.cores.slice(0, GUESTS_PER_ISA)) {
      expect(['exited', 'faulted'], `n${core.node}`).toContain(core.status);
      if (core.status === 'faulted') {
        expect(core.fault?.reason, `n${core.node}`).toMatch(/\S/);
        expect(core.fault?.reason, `n${core.node}: a guest must never meet a host error`).not.toMatch(/host error/);
      }
    }
  });
});
