import type { CreationMethod } from './task-config.js';

// The spanning tree crtc creates tasks over: a binomial tree on positions 0..N, the
// root (the caller) at 0 and the Nth task at position N. In step k every position
// below 2^k that holds a task creates the one 2^k above it, so N tasks take
// ceil(log2(N + 1)) steps and the cost steps up when N + 1 passes 2^k + 1 nodes.
// Flat methods make every task a child of the root.

/** The positions `position` creates, in the order it creates them. */
export function treeChildren(method: CreationMethod, position: number, count: number): number[] {
  if (method !== 'crtc') return position === 0 ? Array.from({ length: count }, (_, i) => i + 1) : [];
  const children: number[] = [];
  let step = position === 0 ? 1 : 2 ** (Math.floor(Math.log2(position)) + 1);
  for (; position + step <= count; step *= 2) children.push(position + step);
  return children;
}

/** The position that creates `position` (> 0). */
export function treeParent(method: CreationMethod, position: number): number {
  if (method !== 'crtc') return 0;
  return position - 2 ** Math.floor(Math.log2(position));
}
