// Reads the per-core counters of counterMain (calls, seq, lwp in USER_DATA) and the cores'
// positions at a quantum boundary, and predicts where each core's calls end up after f
// is switched from f.seq to f.lwp.

import { expect } from 'vitest';
import { USER_DATA, type Cluster } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { ramWord } from './behaviour-image.js';
import { PENDING_UNTIL, RECORD_BYTES, RECORD_FIELDS } from './behaviour-programs.js';

export interface CoreCounters {
  readonly core: number;
  readonly calls: number;
  readonly seq: number;
  readonly lwp: number;
  /** Where the core resumes (the engine's pc between quanta). */
  readonly pc: number;
  readonly status: string;
}

export function counters(cluster: Cluster, nodeId = 0): CoreCounters[] {
  return cluster.node(nodeId).cores.map((core) => {
    const record = USER_DATA + core.coreId * RECORD_BYTES;
    return {
      core: core.coreId,
      calls: ramWord(cluster, record + RECORD_FIELDS.calls, nodeId),
      seq: ramWord(cluster, record + RECORD_FIELDS.seq, nodeId),
      lwp: ramWord(cluster, record + RECORD_FIELDS.lwp, nodeId),
      pc: core.engine.pc(),
      status: core.status,
    };
  });
}

/** The core entered f.seq (its pc lies at f.seq) but has not written seq yet. */
export function pendingInSeq(snapshot: CoreCounters, fSeq: number, isa: IsaName): boolean {
  return snapshot.pc >= fSeq && snapshot.pc <= fSeq + PENDING_UNTIL[isa];
}

/**
 * After f was switched to f.lwp at `atSwitch`, every call still to be made went to
 * f.lwp: seq only grew by the one call a core had already entered f.seq with.
 */
export function expectSwitchedAfter(atSwitch: CoreCounters, final: CoreCounters, fSeq: number,
                                    isa: IsaName, loops: number): void {
  const label = `core ${atSwitch.core} (pc 0x${atSwitch.pc.toString(16)} at the switch)`;
  const inFlight = atSwitch.calls - atSwitch.seq - atSwitch.lwp;
  const pending = pendingInSeq(atSwitch, fSeq, isa);
  // A core has counted at most one call that has not reached an implementation yet, and
  // one whose pc is inside f.seq before its store has.
  expect(inFlight, label).toBeGreaterThanOrEqual(0);
  expect(inFlight, label).toBeLessThanOrEqual(1);
  if (pending) expect(inFlight, label).toBe(1);
  expect(final.calls, label).toBe(loops);
  expect(final.seq, label).toBe(atSwitch.seq + (pending ? 1 : 0));
  expect(final.lwp, label).toBe(final.calls - final.seq);
  expect(final.status, label).toBe('exited');
}
