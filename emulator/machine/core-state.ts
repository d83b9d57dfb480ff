import { ENGINE_ISAS } from '../engine/index.js';
import type { IsaName } from '../../isa/index.js';
import type { CoreStatus, FaultReport } from './core-report.js';

/** Why the machine's state cannot be kept now (a core in a run, an ISA not covered yet). */
export class MachineStateError extends Error {}

/** A core between quanta, as a snapshot keeps it. Times that may be Infinity are null. */
export interface CoreState {
  readonly status: CoreStatus;
  readonly resumePc: number;
  readonly cycles: number;
  readonly instructions: number;
  readonly traps: number;
  readonly faults: number;
  readonly exitStatus: number | null;
  readonly fault: FaultReport | null;
  readonly result: bigint | null;
  readonly sleepUntilNs: number | null;
  readonly wakeFloorNs: number;
  readonly atBlockStart: boolean;
  readonly endedByKernel: boolean;
  readonly registers: readonly (readonly [string, bigint])[];
  /** sparc32: the register windows outside the current one, outermost first (see sparc-windows.ts). */
  readonly windows: readonly (readonly (readonly [string, bigint])[])[];
  /** The registers and pc its open transaction rolls back to. */
  readonly transactionStart: { readonly pc: number; readonly registers: readonly (readonly [string, bigint])[] } | null;
  /** Its copy of the DSM region, the page table the C check reads, and the bytes its transaction touched. */
  readonly dsm: { readonly bytes: Uint8Array; readonly pageStates: Uint8Array; readonly touched: Uint8Array } | null;
  /** Its task address space and which pages of it are present. */
  readonly tasks: { readonly bytes: Uint8Array; readonly present: Uint8Array } | null;
}

/**
 * Segment selectors stay as the firmware left them (no guest loads one) and Unicorn
 * refuses some writes of them in protected mode, so they are not kept.
 */
const SEGMENTS = new Set(['cs', 'ss', 'ds', 'es', 'fs', 'gs']);

/**
 * The registers a snapshot keeps: every one Unicorn names for the ISA except the pc
 * (the core's resume pc stands for it) and the segment selectors. Unicorn's x86 map
 * serves both widths: x86-32 has no r-registers, xmm8-xmm15 or segment bases.
 */
const KEPT: Readonly<Record<IsaName, (name: string) => boolean>> = {
  'x86-32': (name) => !name.startsWith('r') && !/^xmm(8|9|1\d)$/.test(name) && !name.endsWith('_base') && name !== 'eip',
  'x86-64': (name) => name !== 'rip' && name !== 'eip',
  sparc32: (name) => name !== 'pc' && name !== 'g0',
  sparc64: (name) => name !== 'pc' && name !== 'g0',
};

export function snapshotRegisters(isa: IsaName): string[] {
  return Object.keys(ENGINE_ISAS[isa].registers).filter((name) => !SEGMENTS.has(name) && KEPT[isa](name));
}
