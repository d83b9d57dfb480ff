import type { Dsm, NodeCounters, PageCounters } from '../../guest-kernel/index.js';
import { formatTable } from './text-table.js';

export interface DsmSummary {
  readonly globalTime: number;
  readonly pageBytes: number;
  readonly location: string;
  readonly nodes: readonly (NodeCounters & { readonly node: number })[];
  readonly pages: readonly (PageCounters & { readonly page: number; readonly address: string })[];
}

export function summarizeDsm(dsm: Dsm): DsmSummary {
  return {
    globalTime: dsm.time,
    pageBytes: dsm.config.pageBytes,
    location: dsm.config.location,
    nodes: dsm.stats.nodes.map((counters, node) => ({ node, ...counters })),
    pages: dsm.stats.pageTable().map(([page, counters]) => ({
      page, address: `0x${(dsm.config.base + page * dsm.config.pageBytes).toString(16)}`, ...counters,
    })),
  };
}

/** The DSM part of the boot summary: one row per node. */
export function formatDsmTable(summary: DsmSummary): string {
  const header = ['node', 'faults', 'requests', 'transfers', 'commits', 'aborts true', 'aborts false', 'restarts',
    'recoveries', 'messages'];
  const rows = summary.nodes.map((n) => [`n${n.node}`, ...[n.faults, n.requests, n.transfers, n.commits,
    n.abortsTrueSharing, n.abortsFalseSharing, n.restarts, n.recoveries, n.messages].map(String)]);
  const title = `DSM: ${summary.pageBytes}-byte pages, ${summary.location} location, global time ${summary.globalTime}`;
  return `${title}\n${formatTable(header, rows, new Set([...header.keys()].slice(1)))}`;
}

/** The DSM's per-page table: one row per page that has seen traffic. */
export function formatDsmPageTable(summary: DsmSummary): string {
  const header = ['page', 'address', 'faults', 'requests', 'transfers', 'commits', 'aborts true', 'aborts false'];
  const rows = summary.pages.map((p) => [String(p.page), p.address, ...[p.faults, p.requests, p.transfers, p.commits,
    p.abortsTrueSharing, p.abortsFalseSharing].map(String)]);
  return formatTable(header, rows, new Set([0, 2, 3, 4, 5, 6, 7]));
}
