import { closeSync, openSync, writeSync } from 'node:fs';
import type { Core } from '../machine/index.js';
import { CRASH_PLAN_ENV, type CrashPlan, type CrashStop, type ProgressRecord } from './crash-plan.js';
import { nextBlocks } from './successors.js';

/** Instructions in the longest block Unicorn 2.0.1 translates (QEMU's TCG_MAX_INSNS). */
const LONGEST_BLOCK = 512;

/** Keeps only the latest record in the file: each write replaces the last, in place. */
class RecordFile {
  private readonly fd: number;
  private widest = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(record: ProgressRecord): void {
    // Padded to the widest record so far, so that no tail of a longer one stays behind.
    const text = `${JSON.stringify(record)}\n`;
    this.widest = Math.max(this.widest, text.length);
    writeSync(this.fd, text.padEnd(this.widest, ' '), 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The hook a supervised re-run runs before each quantum: it stops the cores the plan
 * names, and records the quantum (locating) or each single step (narrowing) so that a
 * crash of the engine leaves behind where it happened. Undefined in a plain run.
 */
export function crashHookFromEnvironment(quantum: number): ((core: Core) => void) | undefined {
  const json = process.env[CRASH_PLAN_ENV];
  if (!json) return undefined;
  const plan = JSON.parse(json) as CrashPlan;
  const stops = new Map<number, CrashStop>(plan.stops.map((stop) => [stop.quantum, stop]));
  const record = plan.record !== undefined ? new RecordFile(plan.record) : undefined;
  let index = 0;
  return (core) => {
    const current = index++;
    const stop = stops.get(current);
    if (stop) {
      for (let step = 0; step < stop.steps && core.isRunnable; step++) core.step();
      if (core.isRunnable) core.haltWithFault(stop.reason);
      return;
    }
    if (!record) return;
    if (plan.narrowQuantum === undefined) {
      record.write({ kind: 'quantum', quantum: current, node: core.nodeId, core: core.coreId });
    } else if (plan.narrowQuantum === current) {
      // A quantum runs on to the first block start past its budget: step through the
      // longest block Unicorn translates beyond it.
      for (let steps = 0; steps < quantum + LONGEST_BLOCK && core.isRunnable; steps++) {
        record.write({ kind: 'step', steps, node: core.nodeId, core: core.coreId, isa: core.isa, pc: core.pc, successors: nextBlocks(core) });
        core.step();
      }
      record.write({ kind: 'survived' });
      record.close();
      // The quantum ran in single steps without a crash: nothing to find, nothing to finish.
      process.exit(0);
    }
  };
}
