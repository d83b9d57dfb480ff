// An 8-core node whose cores all loop calling f (counterMain: per-core call counts in
// USER_DATA, f.seq and f.lwp each count the calls they serve), and a run that proposes
// a re-link of f by agreement from a quantum boundary once every core is mid-loop.

import { PROGRAM_BASE, CODE_END, RAM_BASE, bootImage, type Cluster, type CoreSummary } from '../../../emulator/index.js';
import type { AgreementOutcome } from '../../../guest-kernel/agreement/two-phase-commit.js';
import type { ChangeTicket } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';
import { counters, type CoreCounters } from '../../linker/support/behaviour-counters.js';
import { counterImpl, counterMain, RECORD_FIELDS } from '../../linker/support/behaviour-programs.js';
import type { ChanDir } from './chan-image.js';

export const CORES = 8;
export const LOOPS = 300;
/** A quantum at which, on every ISA, the decision finds one core inside f.seq and another between its count and its call. */
const QUANTUM = 9;
/** Calls every core has made when the proposal goes out. */
const PROPOSE_AFTER_CALLS = 20;
export const CHANGE = { symbol: 'f', module: 'f.lwp' } as const;

export function writeCounterImage(dir: ChanDir, isa: IsaName): string {
  return dir.write(`agreement-${isa}`, {
    nodes: [{
      isa, cores: CORES, chanLibrary: false,
      programs: [{ name: 'main', source: counterMain(isa, LOOPS) }],
      modules: [
        { name: 'f.seq', source: counterImpl(isa, RECORD_FIELDS.seq) },
        { name: 'f.lwp', source: counterImpl(isa, RECORD_FIELDS.lwp) },
      ],
    }],
  });
}

export interface AgreementRun {
  readonly summaries: CoreSummary[];
  readonly final: CoreCounters[];
  /** Each core's virtual time and counters at the proposal. */
  readonly proposal: { readonly atNs: number; readonly round: number; readonly counters: CoreCounters[] };
  readonly outcome: AgreementOutcome;
  /** Round after which done() ran, and the counters at the first boundary after it. */
  readonly doneRound: number;
  readonly afterDone: CoreCounters[];
  /** The last boundary before f's provider changed (the decision ran right after it), if it did. */
  readonly decision: { readonly round: number; readonly counters: CoreCounters[] } | undefined;
  /** Code region (programs, modules, link area) at the proposal and at the end. */
  readonly codeAtProposal: Buffer;
  readonly codeAtEnd: Buffer;
  readonly lastChangeAtProposal: ChangeTicket | undefined;
  /** Every replica's table at the proposal. */
  readonly tablesAtProposal: Map<string, string>[];
}

function code(cluster: Cluster): Buffer {
  return Buffer.from(cluster.node(0).ram.subarray(PROGRAM_BASE - RAM_BASE, CODE_END - RAM_BASE));
}

export function tables(cluster: Cluster): Map<string, string>[] {
  return Array.from({ length: CORES }, (_, core) => new Map(cluster.kernel.replica(0, core).table));
}

/**
 * Boots the image, lets `prepare` touch the cluster (pin a replica), runs at QUANTUM and
 * proposes CHANGE from the first boundary where every core has made PROPOSE_AFTER_CALLS
 * calls, at core 0's virtual time.
 */
export async function runAgreement(path: string, prepare: (cluster: Cluster) => void = () => {}): Promise<AgreementRun & { cluster: Cluster }> {
  const cluster = await bootImage(path, { maxInstructions: 5_000_000, console: () => {} });
  try {
    prepare(cluster);
    const linker = cluster.node(0).linker;
    let proposal: AgreementRun['proposal'] | undefined;
    let outcome: AgreementOutcome | undefined;
    let doneRound: number | undefined;
    let afterDone: CoreCounters[] | undefined;
    let previous: { round: number; counters: CoreCounters[] } | undefined;
    let decision: AgreementRun['decision'];
    let codeAtProposal: Buffer | undefined;
    let lastChangeAtProposal: ChangeTicket | undefined;
    let tablesAtProposal: Map<string, string>[] | undefined;
    let round = 0;
    const summaries = cluster.run({
      quantum: QUANTUM,
      onRound: ({ rounds }) => {
        round = rounds;
        const now = counters(cluster);
        if (outcome && !afterDone) afterDone = now;
        if (proposal && !decision && linker.binding(CHANGE.symbol).provider === CHANGE.module) decision = previous;
        previous = { round: rounds, counters: now };
        if (proposal || !now.every((c) => c.calls >= PROPOSE_AFTER_CALLS)) return;
        const atNs = cluster.node(0).cores[0]!.clock.ns;
        proposal = { atNs, round: rounds, counters: now };
        codeAtProposal = code(cluster);
        lastChangeAtProposal = linker.lastChange;
        tablesAtProposal = tables(cluster);
        cluster.kernel.relinkByAgreement(0, 0, CHANGE, atNs, (result) => {
          outcome = result;
          doneRound = round;
        });
      },
    });
    if (!proposal || !outcome || doneRound === undefined || !afterDone) {
      throw new Error(`the run ended before the agreement finished (proposal ${JSON.stringify(proposal?.round)}, outcome ${JSON.stringify(outcome)})`);
    }
    return {
      cluster, summaries, final: counters(cluster), proposal, outcome, doneRound, afterDone, decision,
      codeAtProposal: codeAtProposal!, codeAtEnd: code(cluster), lastChangeAtProposal, tablesAtProposal: tablesAtProposal!,
    };
  } catch (error) {
    cluster.close();
    throw error;
  }
}
