/** How a core ended, or that it still runs. */
export type CoreStatus = 'ready' | 'sleeping' | 'exited' | 'faulted' | 'idle';

export interface FaultReport {
  readonly node: number;
  readonly core: number;
  /** The pc as a number (inexact above 2^53: x86-64 can fault anywhere). */
  readonly pc: number;
  /** The exact pc in hex, as fault lines print it. */
  readonly pcHex: string;
  /** The faulting instruction as capstone decodes it. */
  readonly instruction: string;
  readonly reason: string;
}

export function formatFault(fault: FaultReport): string {
  return `n${fault.node}.c${fault.core} fault at pc ${fault.pcHex} (${fault.instruction}): ${fault.reason}`;
}

export interface CoreSummary {
  readonly node: number;
  readonly core: number;
  readonly isa: string;
  readonly status: CoreStatus;
  readonly instructions: number;
  readonly cycles: number;
  readonly virtualNs: number;
  readonly traps: number;
  readonly faults: number;
  readonly exitStatus: number | null;
  readonly fault: FaultReport | null;
  /** Value reported with SYS_REPORT, in decimal (64-bit values do not fit a JSON number). */
  readonly result: string | null;
}
