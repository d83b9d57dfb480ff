// A core's DSM page table, shared with the machine's C access check
// (emulator/engine/fast-path.c, CVM_PAGE_*): one byte per page. The check lets an access
// go on by itself only when these bits say the kernel has nothing to do; every other
// access comes to Dsm.access. Keep the values equal to the C enum.

/** The core's view of the page: not mapped, read-only, or written in its transaction. */
const PAGE_VIEW = 3;
export const INVALID = 0;
export const READ = 1;
export const WRITTEN = 2;
/** The open transaction has read the page (it is in its read set). */
export const IN_READ_SET = 4;
/** The open transaction has written the page. */
export const IN_WRITE_SET = 8;

export function viewOf(states: Uint8Array, page: number): number {
  return states[page]! & PAGE_VIEW;
}

export function setView(states: Uint8Array, page: number, view: number): void {
  states[page] = (states[page]! & ~PAGE_VIEW) | view;
}
