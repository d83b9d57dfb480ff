// Differential tests of guest C: each program in tests/c/programs is compiled once by the
// host's gcc against libc and run natively, and once per ISA by clustervm's cross
// compilers against its runtime and booted; the printed output must be identical. The
// programs print only what does not depend on byte order or word size.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES } from '../../isa/index.js';
import { REPO_ROOT, TempDir, runImage } from '../support/index.js';

const PROGRAMS = join(REPO_ROOT, 'tests', 'c', 'programs');
const NAMES = ['sort-crc', 'hash-table', 'recursion', 'arith64', 'switch-table', 'format'] as const;

const tmp = new TempDir('clustervm-c-differential');
afterAll(() => tmp.cleanup());

function hostOutput(name: string): string {
  const binary = tmp.join(`${name}-host`);
  execFileSync('gcc', ['-O2', '-o', binary, join(PROGRAMS, 'host-main.c'), join(PROGRAMS, `${name}.c`)]);
  return execFileSync(binary, { encoding: 'utf8' });
}

describe.each(NAMES)('%s.c', (name) => {
  const expected = hostOutput(name);

  it.each(ISA_NAMES)('%s prints what the host prints', async (isa) => {
    const image = tmp.image(`${name}-${isa}.json`, {
      name: `${name}-${isa}`,
      nodes: [{ isa, cores: 1, programs: [{ source: join(PROGRAMS, `${name}.c`) }] }],
    });
    const run = await runImage(image);
    const core = run.cores[0]!;
    expect([core.status, core.exitStatus, core.fault?.reason]).toEqual(['exited', 0, undefined]);
    expect(run.console).toEqual(expected.trimEnd().split('\n').map((line) => `n0.c0 ${line}`));
  });
});
