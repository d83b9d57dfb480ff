// Plurix's measurement table of checkpoints (the PageServer saving heap images): one
// node holding 20 to 80 MB of DSM data, and three nodes holding it in six ways. Here a
// MB of the table is a MiB of DSM pages (the image's dsm.sizeMiB unit).
import type { Layout } from './guests.js';

export const LAYOUTS: readonly Layout[] = [
  { mib: [20] }, { mib: [40] }, { mib: [60] }, { mib: [80] },
  { mib: [60, 0, 0] }, { mib: [20, 20, 20] }, { mib: [0, 28, 32] },
  { mib: [40, 40, 40] }, { mib: [48, 48, 48] }, { mib: [60, 60, 60] },
];

/**
 * The same checkpoint with every word of every page written: the table's rows write one
 * word per page, which deflate all but removes; this row shows the cost of pages that
 * do not compress.
 */
export const DENSE_LAYOUT: Layout = { mib: [20], dense: true };

/** Plurix's published checkpoint throughput over its table, MB/s. */
export const PLURIX_MBPS = { low: 13.0, high: 19.7 };
