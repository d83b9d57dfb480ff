// Host time of one re-link on a running node of 4 cores: `linker.use('hook', ...)` patches
// guest code (56 call sites when hook is bound immediate, one trampoline when mediated)
// and makes every core drop its translations of the patched bytes. Re-links happen at
// quantum boundaries, where no core is inside an instruction, so the ticket is done when
// `use` returns; between two re-links every core sweeps all 56 sites at least once, so
// each re-link invalidates code that every core has translated.
import { RAM_BASE, USER_DATA, type Cluster } from '../../../emulator/index.js';
import { encoderFor } from '../../../linker/index.js';
import { type IsaName } from '../../../isa/index.js';
import { bootCluster, isSparc } from '../../support/index.js';
import { elapsedMs } from '../stats.js';
import {
  COUNTER_A, COUNTER_B, COUNTER_STRIDE, COUNTERS, HOOK_SITES, ISAS, STOP_FLAG, SWEEPS, writeRelinkImage,
} from './guests.js';

export type RelinkBinding = 'immediate' | 'mediated';
const RELINK_BINDINGS: readonly RelinkBinding[] = ['immediate', 'mediated'];
export const RELINK_CORES = 4;
/** Timed re-links per (isa, binding), alternating hook.b and hook.a. */
export const RELINKS = 200;
/** Per core and round: several sweeps of the 56 sites (a sweep is 170 to 400 instructions). */
export const RELINK_QUANTUM = 2_000;

export interface RelinkResult {
  readonly isa: IsaName;
  readonly binding: RelinkBinding;
  /** Call sites of hook whose bytes the first re-link changed, and whether it rewrote a trampoline. */
  readonly sitesRewritten: number;
  readonly trampolineRewritten: boolean;
  readonly references: number;
  readonly us: readonly number[];
  /** Timed re-links whose ticket was done (every core dropped its stale translations) on return. */
  readonly ticketsDone: number;
  /** Fewest sweeps a core finished between two timed re-links (2 or more: one whole sweep). */
  readonly minSweepsBetween: number;
  /** After the switch to hook.b, every core called hook.b and no longer hook.a. */
  readonly switchVerified: boolean;
  readonly switchDetail: string;
}

class Counters {
  constructor(private readonly ram: Buffer, private readonly bigEndian: boolean) {}

  private word(offset: number): number {
    const at = USER_DATA - RAM_BASE + offset;
    return this.bigEndian ? this.ram.readUInt32BE(at) : this.ram.readUInt32LE(at);
  }

  core(core: number): { a: number; b: number; sweeps: number } {
    const block = COUNTERS + core * COUNTER_STRIDE;
    return { a: this.word(block + COUNTER_A), b: this.word(block + COUNTER_B), sweeps: this.word(block + SWEEPS) };
  }

  all(): { a: number; b: number; sweeps: number }[] {
    return Array.from({ length: RELINK_CORES }, (_, core) => this.core(core));
  }

  stop(): void {
    const at = USER_DATA - RAM_BASE + STOP_FLAG;
    if (this.bigEndian) this.ram.writeUInt32BE(1, at);
    else this.ram.writeUInt32LE(1, at);
  }
}

/** The code bytes a re-link of hook may change: every reference site and the trampoline. */
function hookCode(cluster: Cluster, isa: IsaName): { sites: Buffer[]; trampoline: Buffer | undefined } {
  const node = cluster.node(0);
  const bytes = (address: number, length: number) =>
    Buffer.from(node.ram.subarray(address - RAM_BASE, address - RAM_BASE + length));
  const references = node.linker.plan.modules.flatMap((m) => m.references).filter((r) => r.symbol === 'hook');
  const trampoline = node.linker.binding('hook').trampoline;
  return {
    sites: references.map((r) => bytes(r.site, r.length)),
    trampoline: trampoline === undefined ? undefined : bytes(trampoline, encoderFor(isa).trampolineSlotBytes),
  };
}

async function measureRelink(isa: IsaName, binding: RelinkBinding, image: string): Promise<RelinkResult> {
  const what = `${isa} re-link (${binding})`;
  const { cluster } = await bootCluster(image, { bind: new Map([['hook', binding]]) });
  try {
    const node = cluster.node(0);
    const linker = node.linker;
    const counters = new Counters(node.ram, isSparc(isa));
    const us: number[] = [];
    let ticketsDone = 0;
    let minSweepsBetween = Infinity;
    let sitesRewritten = 0;
    let trampolineRewritten = false;
    let switchVerified = false;
    let switchDetail = 'not reached';
    let phase: 'warm' | 'switched' | 'settled' | 'back' | 'timing' | 'stopping' = 'warm';
    let snapshot = counters.all();
    let current = 'hook.a';

    cluster.run({
      quantum: RELINK_QUANTUM,
      onRound: () => {
        const now = counters.all();
        switch (phase) {
          case 'warm': {
            // Every core has swept all 56 sites at least once: all of them are translated.
            if (now.some((c) => c.sweeps < 2)) return;
            const before = hookCode(cluster, isa);
            linker.use('hook', 'hook.b');
            const after = hookCode(cluster, isa);
            sitesRewritten = before.sites.filter((site, i) => !site.equals(after.sites[i]!)).length;
            trampolineRewritten = before.trampoline !== undefined && !before.trampoline.equals(after.trampoline!);
            phase = 'switched';
            return;
          }
          case 'switched':
            // A core stopped inside hook.a finishes that call in this round.
            snapshot = now;
            phase = 'settled';
            return;
          case 'settled': {
            const ok = now.every((c, i) => c.a === snapshot[i]!.a && c.b - snapshot[i]!.b >= HOOK_SITES);
            switchVerified = ok;
            switchDetail = now.map((c, i) => `core ${i}: hook.a +${c.a - snapshot[i]!.a} hook.b +${c.b - snapshot[i]!.b}`)
              .join(', ');
            linker.use('hook', 'hook.a');
            phase = 'back';
            snapshot = now;
            return;
          }
          case 'back':
            phase = 'timing';
            snapshot = now;
            return;
          case 'timing': {
            minSweepsBetween = Math.min(minSweepsBetween, ...now.map((c, i) => c.sweeps - snapshot[i]!.sweeps));
            snapshot = now;
            const next = current === 'hook.a' ? 'hook.b' : 'hook.a';
            const start = process.hrtime.bigint();
            const ticket = linker.use('hook', next);
            us.push(elapsedMs(start) * 1000);
            if (ticket.done && ticket.pendingCores.length === 0 && linker.lastChange === ticket) ticketsDone++;
            current = next;
            if (us.length === RELINKS) {
              counters.stop();
              phase = 'stopping';
            }
            return;
          }
          case 'stopping':
            return;
        }
      },
    });
    const cores = cluster.cores.map((core) => core.summary());
    const bad = cores.find((core) => core.status !== 'exited' || core.exitStatus !== 0);
    if (bad) throw new Error(`${what}: core ${bad.core} ended ${bad.status} ${bad.fault?.reason ?? `(exit ${bad.exitStatus})`}`);
    if (us.length !== RELINKS) throw new Error(`${what}: only ${us.length} re-links before the cores stopped`);
    const references = node.linker.plan.modules.flatMap((m) => m.references).filter((r) => r.symbol === 'hook').length;
    return {
      isa, binding, sitesRewritten, trampolineRewritten, references, us, ticketsDone, minSweepsBetween,
      switchVerified, switchDetail,
    };
  } finally {
    cluster.close();
  }
}

export async function measureRelinks(): Promise<RelinkResult[]> {
  const results: RelinkResult[] = [];
  // A first, discarded round of re-links warms the JIT up, so the first ISA is not slower.
  await measureRelink(ISAS[0]!, 'immediate', writeRelinkImage(ISAS[0]!));
  for (const isa of ISAS) {
    const image = writeRelinkImage(isa);
    for (const binding of RELINK_BINDINGS) results.push(await measureRelink(isa, binding, image));
  }
  return results;
}
