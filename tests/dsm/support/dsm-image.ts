// The DSM suites' view of the test kit: images of node groups with one program each, run
// to the end, keeping what the tests look at afterwards: the core summaries, the DSM
// (committed bytes and statistics live in the kernel, not in the closed engines) and
// each node's RAM.

import { rmSync } from 'node:fs';
import { DSM_BASE, RAM_BASE, type Cluster, type CoreSummary, type SchedulerProgress } from '../../../emulator/index.js';
import type { Dsm } from '../../../guest-kernel/dsm/dsm.js';
import type { NodeCounters, PageCounters } from '../../../guest-kernel/dsm/dsm-stats.js';
import type { IsaName } from '../../../isa/index.js';
import { expectCleanExit, guestWord, runImage, TempDir } from '../../support/index.js';

export { DSM_BASE };

/** The fast interconnect most tests use: 1 µs latency, 1 Gbit/s. */
export const FAST_LAN = { latencyNs: 1000, bandwidthMbps: 1000 } as const;

interface DsmNodeGroup {
  readonly isa: IsaName;
  readonly cores: number;
  readonly count?: number;
  /** One program (assembly source) per group, run by `cores` (default all). */
  readonly source: string;
  readonly programCores?: readonly number[];
}

interface DropSpec {
  readonly kind: 'commit';
  readonly from?: number;
  readonly to: number;
  readonly nth?: number;
}

export interface DsmImage {
  readonly name: string;
  readonly dsm?: { readonly sizeMiB?: number; readonly pageBytes?: number; readonly location?: 'broadcast' | 'directory' };
  readonly interconnect?: {
    readonly latencyNs?: number;
    readonly bandwidthMbps?: number;
    readonly links?: readonly { from: number; to: number; latencyNs: number; bandwidthMbps: number }[];
    readonly drop?: readonly DropSpec[];
  };
  readonly groups: readonly DsmNodeGroup[];
}

export interface RunOptions {
  readonly quantum?: number;
  readonly maxInstructions?: number;
  /** Called after every scheduler round, with the live cluster. */
  readonly onRound?: (cluster: Cluster, progress: SchedulerProgress) => void;
  /** Called after every kernel event that changed the DSM's global time (every commit). */
  readonly onCommit?: (cluster: Cluster) => void;
}

export interface DsmRun {
  readonly cores: CoreSummary[];
  readonly console: string[];
  readonly dsm: Dsm;
  readonly time: number;
  readonly stats: NodeCounters[];
  readonly pageTable: [number, PageCounters][];
  readonly dropped: number;
  readonly nodeIsas: IsaName[];
  /** Copies of every node's RAM after the run. */
  readonly rams: Buffer[];
  readonly pageBytes: number;
}

/** Writes the image and one .s file per group into a fresh temp folder; returns the folder and the image path. */
export function writeDsmImage(image: DsmImage): { dir: string; path: string } {
  const dir = new TempDir('clustervm-dsm');
  const path = dir.writeImage(image.name, {
    dsm: image.dsm ?? {},
    ...(image.interconnect ? { interconnect: image.interconnect } : {}),
    nodes: image.groups.map((group) => ({
      isa: group.isa,
      cores: group.cores,
      ...(group.count ? { count: group.count } : {}),
      programs: [{ source: group.source, ...(group.programCores ? { cores: group.programCores } : {}) }],
    })),
  });
  return { dir: dir.path, path };
}

/**
 * Kernel work (commit-token grants, recoveries, wakes) comes due through the kernel's
 * public `fire`: wrapping it lets a test look at the DSM after every timer, so after
 * every single commit.
 */
function observeCommits(cluster: Cluster, onCommit: (cluster: Cluster) => void): void {
  const kernel = cluster.kernel;
  const fire = kernel.fire.bind(kernel);
  const dsm = kernel.dsm!;
  kernel.fire = (timer) => {
    const before = dsm.time;
    fire(timer);
    if (dsm.time !== before) onCommit(cluster);
  };
}

export async function runDsm(image: DsmImage, options: RunOptions = {}): Promise<DsmRun> {
  const { dir, path } = writeDsmImage(image);
  try {
    const onRound = options.onRound;
    const onCommit = options.onCommit;
    const run = await runImage(path, {
      maxInstructions: options.maxInstructions ?? 2_000_000,
      quantum: options.quantum ?? 1000,
      ...(onRound ? { onRound } : {}),
      ...(onCommit ? { beforeRun: (cluster: Cluster) => observeCommits(cluster, onCommit) } : {}),
      inspect: (cluster) => {
        const dsm = cluster.kernel.dsm;
        if (!dsm) throw new Error('the image has no DSM');
        return {
          dsm,
          time: dsm.time,
          stats: dsm.stats.nodes.map((counters) => ({ ...counters })),
          pageTable: dsm.stats.pageTable().map(([page, counters]): [number, PageCounters] => [page, { ...counters }]),
          dropped: cluster.drops.dropped,
          nodeIsas: cluster.nodes.map((node) => node.isa),
          rams: cluster.nodes.map((node) => Buffer.from(node.ram)),
          pageBytes: dsm.config.pageBytes,
        };
      },
    });
    return { cores: run.cores, console: run.console, ...run.inspected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 32-bit word of the committed DSM, in the given byte order. */
export function committedWord(dsm: Dsm, address: number, bigEndian: boolean): number {
  const bytes = dsm.committed(address, 4);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, !bigEndian);
}

/** A 32-bit word of node `node`'s RAM after the run, in that node's byte order. */
export function ramWord(run: DsmRun, node: number, address: number): number {
  return guestWord(run.rams[node]!, run.nodeIsas[node]!, address - RAM_BASE);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Per node, the sum of the results its cores reported with SYS_REPORT. */
export function reportedPerNode(run: DsmRun): number[] {
  const totals = run.stats.map(() => 0);
  for (const core of run.cores) totals[core.node]! += Number(core.result ?? '0');
  return totals;
}

/** Fails with the fault reports when any core did not exit with status 0. */
export function expectAllExited(run: DsmRun): void {
  expectCleanExit('DSM run', run.cores);
}

/** Virtual time the interconnect charges for `bytes` on a link. */
export function transferNs(link: { latencyNs: number; bandwidthMbps: number }, bytes: number): number {
  return link.latencyNs + (bytes * 8 * 1e9) / (link.bandwidthMbps * 1e6);
}
