// The compute guest of the MIPS measurement (compute/<isa>.s and its one-core image),
// shared by the scheduler's child process and the native baseline.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsaName } from '../../../isa/index.js';

const COMPUTE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'compute');

export const computeSource = (isa: IsaName) => join(COMPUTE_DIR, `${isa}.s`);
export const computeImage = (isa: IsaName) => join(COMPUTE_DIR, `${isa}.json`);

/** The loops retire 49M (x86) and 245M (SPARC, faster) instructions; a core past this is stuck. */
export const INSTRUCTION_LIMIT = 1_000_000_000;

/** One scheduler run, as scheduled-run.ts prints it. */
export interface ScheduledRun {
  readonly quantum: number;
  readonly instructions: number;
  readonly seconds: number;
}
