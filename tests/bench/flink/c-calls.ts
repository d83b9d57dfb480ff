// FLink's Table 3 again with both modules in C: main.c calls foo(i) = i + 1 from foo.c
// n times, compiled by the cross compilers and linked from ELF objects, under each
// intensity. The loop's instructions are what gcc made of it, so the per-call cost of an
// intensity is the difference to immediate, which must equal the assembly rows'.
import type { IsaName } from '../../../isa/index.js';
import { INTENSITIES, type Intensity } from '../../../linker/index.js';
import { runImage, TempDir } from '../../support/index.js';
import { CALL_QUANTUM } from './calls.js';
import { ISAS } from './guests.js';

export const C_CALLS = 10_000;
const C_REPEATS = 3;

export interface CCallCell {
  readonly isa: IsaName;
  readonly intensity: Intensity;
  /** Loop instructions: the n = C_CALLS run less the n = 0 run. */
  readonly instructions: number;
  readonly traps: number;
  /** Host us of cluster.run, loop only, best of C_REPEATS. */
  readonly us: number;
}

const MAIN = (n: number) => `#include <clustervm.h>
int foo(int i);
int main(int node, int core) {
    (void)node;
    (void)core;
    int64_t sum = 0;
    for (int i = 0; i < ${n}; i++) sum += foo(i);
    cvm_report(sum);
    return 0;
}
`;

async function measure(dir: TempDir, isa: IsaName, intensity: Intensity, n: number) {
  dir.file(`main-${n}.c`, MAIN(n));
  const image = dir.image(`c-calls-${isa}-${n}.json`, {
    name: `c-calls-${n}`,
    nodes: [{ isa, cores: 1, programs: [{ source: `main-${n}.c` }], modules: [{ name: 'foo', source: 'foo.c' }] }],
  });
  let best = { instructions: 0, traps: 0, us: Infinity };
  for (let repeat = 0; repeat < C_REPEATS; repeat++) {
    const run = await runImage(image, { quantum: CALL_QUANTUM, bind: new Map([['foo', intensity]]) });
    const core = run.cores[0]!;
    if (core.status !== 'exited' || core.result !== String((BigInt(n) * BigInt(n + 1)) / 2n)) {
      throw new Error(`C ${isa} ${intensity} n=${n}: ended ${core.status}, reported ${core.result}`);
    }
    best = { instructions: core.instructions, traps: core.traps, us: Math.min(best.us, run.hostMs * 1000) };
  }
  return best;
}

export async function measureCCalls(): Promise<CCallCell[]> {
  const dir = new TempDir('clustervm-bench-flink-c');
  try {
    dir.file('foo.c', 'int foo(int i) { return i + 1; }\n');
    const cells: CCallCell[] = [];
    for (const isa of ISAS) {
      for (const intensity of INTENSITIES) {
        const base = await measure(dir, isa, intensity, 0);
        const run = await measure(dir, isa, intensity, C_CALLS);
        cells.push({ isa, intensity, instructions: run.instructions - base.instructions, traps: run.traps - base.traps, us: run.us - base.us });
      }
    }
    return cells;
  } finally {
    dir.cleanup();
  }
}
