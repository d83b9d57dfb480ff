// Child process of the boot benchmark: runs the compute image through the real
// TypeScript scheduler once per quantum and prints the runs as one JSON line.
//   usage: scheduled-run.ts <isa> <code.bin> <quantum>...
// The image's code must equal code.bin, the bytes the native run executes.
import { readFileSync } from 'node:fs';
import { bootImage, PROGRAM_BASE, RAM_BASE } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { computeImage, INSTRUCTION_LIMIT, type ScheduledRun } from './compute.js';

async function runScheduled(isa: IsaName, code: Buffer, quantum: number): Promise<ScheduledRun> {
  // The compute guests print nothing; a stray line would only be noise here.
  const cluster = await bootImage(computeImage(isa), { maxInstructions: INSTRUCTION_LIMIT, console: () => {} });
  try {
    const offset = PROGRAM_BASE - RAM_BASE;
    if (!cluster.nodes[0]!.ram.subarray(offset, offset + code.length).equals(code)) {
      throw new Error(`${isa}: the image's code differs from the native run's`);
    }
    const start = process.hrtime.bigint();
    const [core] = cluster.run({ quantum });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (core?.status !== 'exited' || core.exitStatus !== 0) {
      throw new Error(`${isa} compute core ended ${core?.status} ${core?.fault?.reason ?? `(exit ${core?.exitStatus})`}`);
    }
    return { quantum, instructions: core.instructions, seconds };
  } finally {
    cluster.close();
  }
}

const [isa, codePath, ...quanta] = process.argv.slice(2);
const code = readFileSync(codePath!);
const runs: ScheduledRun[] = [];
for (const quantum of quanta) runs.push(await runScheduled(isa as IsaName, code, Number(quantum)));
process.stdout.write(`${JSON.stringify(runs)}\n`);
