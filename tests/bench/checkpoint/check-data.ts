// The DSM data the guests committed, read back from the kernel's DSM (each page's owner):
// a benchmark that checkpoints empty pages would measure nothing. Checked on the cluster
// that wrote them and again on the one restored from the snapshot.
import type { Dsm } from '../../../guest-kernel/dsm/dsm.js';
import {
  CHANGE_EVERY, DSM_BASE, densePage, firstPage, PAGE_BYTES, PAGES_PER_MIB, type Layout,
} from './guests.js';

/** Dense pages checked word by word: one in this many (reading through the kernel goes byte by byte). */
const DENSE_SAMPLE_EVERY = 64;

export type Phase = 'committed' | 'changed';

function word(dsm: Dsm, address: number): number {
  const bytes = dsm.committed(address, 4);
  return new DataView(bytes.buffer).getUint32(0, true);
}

/** Throws naming the first wrong word, unless every page of the layout holds what `phase` leaves there. */
export function checkData(what: string, dsm: Dsm, layout: Layout, phase: Phase): void {
  layout.mib.forEach((mib, node) => {
    const first = firstPage(layout, node);
    for (let i = 0; i < mib * PAGES_PER_MIB; i++) {
      const page = first + i;
      const address = DSM_BASE + page * PAGE_BYTES;
      const changed = phase === 'changed' && i % CHANGE_EVERY === 0;
      const expected = changed ? (address + 1) >>> 0 : layout.dense ? densePage(page)[0]! : address;
      const found = word(dsm, address);
      if (found !== expected) {
        throw new Error(`${what}: node ${node}'s page ${page} holds 0x${found.toString(16)}, expected 0x${expected.toString(16)}`);
      }
      if (layout.dense && i % DENSE_SAMPLE_EVERY === 1) checkDensePage(what, dsm, page);
    }
  });
}

function checkDensePage(what: string, dsm: Dsm, page: number): void {
  const bytes = dsm.committed(DSM_BASE + page * PAGE_BYTES, PAGE_BYTES);
  const view = new DataView(bytes.buffer);
  const expected = densePage(page);
  for (let i = 0; i < expected.length; i++) {
    if (view.getUint32(4 * i, true) !== expected[i]) throw new Error(`${what}: dense page ${page} word ${i} is wrong`);
  }
}
