import type { CoreSummary } from '../machine/index.js';
import { formatTable } from './text-table.js';

export interface BootSummary {
  readonly image: string;
  readonly quantum: number;
  readonly cores: readonly CoreSummary[];
  readonly total: { readonly instructions: number; readonly virtualNs: number; readonly result: string | null };
  readonly exitCode: number;
}

export function summarize(image: string, quantum: number, cores: readonly CoreSummary[]): BootSummary {
  const reported = cores.filter((core) => core.result !== null);
  const active = cores.filter((core) => core.status !== 'idle');
  const allExitedZero = active.every((core) => core.status === 'exited' && core.exitStatus === 0);
  return {
    image,
    quantum,
    cores,
    total: {
      instructions: cores.reduce((sum, core) => sum + core.instructions, 0),
      virtualNs: cores.reduce((max, core) => Math.max(max, core.virtualNs), 0),
      result: reported.length === 0 ? null : reported.reduce((sum, core) => sum + BigInt(core.result!), 0n).toString(),
    },
    exitCode: allExitedZero ? 0 : 1,
  };
}

function formatVirtualTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} us`;
  return `${ns} ns`;
}

function grouped(value: number): string {
  return value.toLocaleString('en-US');
}

/** The per-core table printed after a boot. */
export function formatSummaryTable(summary: BootSummary): string {
  const header = ['core', 'isa', 'status', 'instructions', 'virtual time', 'traps', 'faults', 'exit', 'result'];
  const rows = summary.cores.map((core) => [
    `n${core.node}.c${core.core}`, core.isa, core.status, grouped(core.instructions),
    formatVirtualTime(core.virtualNs), String(core.traps), String(core.faults),
    core.exitStatus === null ? '-' : String(core.exitStatus), core.result ?? '-',
  ]);
  rows.push(['total', '', '', grouped(summary.total.instructions), formatVirtualTime(summary.total.virtualNs),
    '', '', '', summary.total.result ?? '-']);
  return formatTable(header, rows, new Set([3, 4, 5, 6, 7, 8]));
}
