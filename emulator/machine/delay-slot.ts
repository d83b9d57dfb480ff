import { ISAS, type IsaName } from '../../isa/index.js';
import { canReplay, isDelayedTransfer } from './sparc-delay-slot.js';

/** Where an abandoned instruction runs again, and whether that replays the branch before it. */
export interface RetryPoint {
  readonly pc: number;
  readonly replaysBranch: boolean;
}

/**
 * Delay slots, for the core: Unicorn hides NPC (#2338) and its sparc64 contexts are
 * empty, so a core that stops in a delay slot cannot resume there without losing the
 * branch target. Running the branch again with its slot reaches the same target when the
 * branch reads nothing the slot changes (`canReplay`).
 */
export class DelaySlots {
  private readonly present: boolean;

  constructor(isa: IsaName, private readonly ram: Buffer, private readonly ramBase: number) {
    this.present = ISAS[isa].delaySlots;
  }

  /** Whether `pc` is a delay slot, and whether its branch can run again. */
  slotAt(pc: number): 'no-slot' | 'replayable' | 'not-replayable' {
    const branch = this.branchBefore(pc);
    if (branch === undefined) return 'no-slot';
    return canReplay(branch) ? 'replayable' : 'not-replayable';
  }

  /** The delayed transfer before `pc`, when `pc` is its delay slot. */
  private branchBefore(pc: number): number | undefined {
    if (!this.present) return undefined;
    const offset = pc - 4 - this.ramBase;
    if (offset < 0 || offset + 4 > this.ram.length) return undefined;
    const word = this.ram.readUInt32BE(offset);
    return isDelayedTransfer(word) ? word : undefined;
  }

  /**
   * Where an instruction the engine abandoned at `pc` (a DSM access, a debugger stop)
   * runs again: itself, or the branch before it when it sits in a delay slot. The
   * replayed branch must not be counted twice.
   */
  retryPoint(pc: number): RetryPoint {
    const branch = this.branchBefore(pc);
    return branch !== undefined && canReplay(branch) ? { pc: pc - 4, replaysBranch: true } : { pc, replaysBranch: false };
  }
}
