// An abort restores memory and registers exactly: core A (node 0) changes registers and
// writes a DSM page inside a transaction, then spins; core B (node 1) commits a write to
// the same page, which aborts A. After the restart A finds its pre-begin registers,
// its stack pointer and condition codes back, its own write gone and B's write visible.

import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../emulator/index.js';
import type { IsaName } from '../../isa/index.js';
import { expectAllExited, FAST_LAN, runDsm, type DsmRun } from './support/dsm-image.js';
import { isSparc, minimumPageBytes } from './support/programs.js';
import {
  B_VALUE, MARKERS, programA, programB, resultWidth, RESULT_TAIL, rollbackLayout, SAVED_SP,
} from './support/rollback-programs.js';

function field(run: DsmRun, isa: IsaName, address: number): bigint {
  const width = resultWidth(isa);
  const bytes = run.dsm.committed(address, width);
  const view = new DataView(bytes.buffer, bytes.byteOffset, width);
  const little = !isSparc(isa);
  return width === 8 ? view.getBigUint64(0, little) : BigInt(view.getUint32(0, little));
}

function ramField(run: DsmRun, isa: IsaName, address: number): bigint {
  const offset = address - RAM_BASE;
  const ram = run.rams[0]!;
  if (resultWidth(isa) === 8) return isSparc(isa) ? ram.readBigUInt64BE(offset) : ram.readBigUInt64LE(offset);
  return BigInt(isSparc(isa) ? ram.readUInt32BE(offset) : ram.readUInt32LE(offset));
}

async function rollback(isa: IsaName): Promise<DsmRun> {
  const pageBytes = minimumPageBytes([isa]);
  return runDsm({
    name: `rollback-${isa}`,
    dsm: { sizeMiB: 1, pageBytes },
    interconnect: FAST_LAN,
    groups: [
      { isa, cores: 1, source: programA(isa, pageBytes) },
      { isa, cores: 1, source: programB(isa, pageBytes) },
    ],
  }, { quantum: 500 });
}

/** What A stored after its restart, by field name, and what it should have stored. */
interface Observation {
  readonly run: DsmRun;
  readonly observed: Record<string, bigint>;
  readonly expected: Record<string, bigint>;
}

const observations = new Map<IsaName, Promise<Observation>>();

/** Runs the scenario once per ISA; the tests of an ISA share the run. */
function observe(isa: IsaName): Promise<Observation> {
  let pending = observations.get(isa);
  if (!pending) {
    pending = rollback(isa).then((run) => {
      const layout = rollbackLayout(run.pageBytes);
      const width = resultWidth(isa);
      const names = Object.keys(MARKERS[isa].before);
      const observed: Record<string, bigint> = {};
      ['restarts', ...names, ...RESULT_TAIL].forEach((name, i) => {
        observed[name] = field(run, isa, layout.results + i * width);
      });
      const expected: Record<string, bigint> = {
        restarts: 1n,
        ...MARKERS[isa].before,
        conditionRestored: 1n,
        stackPointer: ramField(run, isa, SAVED_SP),
        x: 0n,
        y: BigInt(B_VALUE),
      };
      return { run, observed, expected };
    });
    observations.set(isa, pending);
  }
  return pending;
}

function without(record: Record<string, bigint>, key: string): Record<string, bigint> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

describe('an abort restores memory and registers exactly', () => {
  for (const isa of ['x86-32', 'x86-64', 'sparc32', 'sparc64'] as const) {
    // sparc64's condition codes have a test of their own below (a known failure).
    const what = isa === 'sparc64' ? 'registers and stack pointer' : 'registers, stack pointer and condition codes';
    it(`${isa}: ${what} of the begin come back; A's write is gone, B's is visible`, async () => {
      const { run, observed, expected } = await observe(isa);
      expectAllExited(run);
      if (isa === 'sparc64') expect(without(observed, 'conditionRestored')).toEqual(without(expected, 'conditionRestored'));
      else expect(observed).toEqual(expected);
      // The stack pointer A saved before its begin is a real stack address, not 0.
      expect(expected.stackPointer).toBeGreaterThan(BigInt(RAM_BASE));
      // A wrote X in its first attempt only: nothing of it was ever committed.
      const layout = rollbackLayout(run.pageBytes);
      expect(run.dsm.committed(layout.x, 4)).toEqual(new Uint8Array(4));

      // Two commits (B's write, then A's results); A aborted once, for false sharing
      // (B changed Y, A had touched only X).
      expect(run.time).toBe(2);
      expect(run.stats[0]).toMatchObject({ restarts: 1, abortsFalseSharing: 1, abortsTrueSharing: 0, commits: 1, recoveries: 0 });
      expect(run.stats[1]).toMatchObject({ restarts: 0, abortsFalseSharing: 0, abortsTrueSharing: 0, commits: 1 });
      expect(run.pageTable.find(([page]) => page === 1)?.[1]).toMatchObject({ abortsFalseSharing: 1, abortsTrueSharing: 0, commits: 1 });
    });
  }

  // A Unicorn 2.0.1 limitation clustervm cannot work around (README, DSM): on sparc64 the
  // kernel saves the transaction start register by register
  // (Unicorn 2.0.1 has no sparc64 context), and Unicorn reads and writes %icc/%xcc as 0,
  // so the condition codes of the begin are not restored: A set Z before SYS_TX_BEGIN,
  // cleared it inside (subcc of its spin counter), and after the restart Z is still clear.
  // sparc32 (engine contexts) and x86 restore them.
  it.fails('sparc64: the condition codes of the begin come back after an abort', async () => {
    const { observed } = await observe('sparc64');
    expect(observed.conditionRestored).toBe(1n);
  });

  it('x86-32: the same run twice gives the same instruction counts and virtual times', async () => {
    const first = await rollback('x86-32');
    const second = await rollback('x86-32');
    expect(second.cores).toEqual(first.cores);
    expect(second.stats).toEqual(first.stats);
  });
});
