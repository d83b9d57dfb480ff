import type { CoreTaskMemory } from '../guest-core.js';
import { TASK_FLAGS } from './task-config.js';

// A core's task address space as the machine's C check reads it: one byte per page,
// ABSENT, READ_ONLY or WRITABLE. The check lets a read through a page at READ_ONLY or
// above and a write through a WRITABLE one; every other access comes to the kernel.
// Keep the values equal to fast-path.c's CVM_TASK_*.

export const ABSENT = 0;
const READ_ONLY = 1;
const WRITABLE = 2;

/** A VM area: pages of the task address space with one protection and one history. */
export interface VmArea {
  readonly start: number;
  readonly bytes: number;
  /** TASK_READ, with TASK_WRITE for a writable area. */
  readonly prot: number;
}

/** The page byte a present page of an area with `prot` gets. */
export function presentState(prot: number): number {
  return prot & TASK_FLAGS.TASK_WRITE ? WRITABLE : READ_ONLY;
}

/** Every page byte `memory` has present, with its bytes: what a fork or a migration carries. */
export function presentPages(memory: CoreTaskMemory, pageBytes: number): { page: number; data: Uint8Array }[] {
  const pages: { page: number; data: Uint8Array }[] = [];
  memory.present.forEach((state, page) => {
    if (state !== ABSENT) pages.push({ page, data: Uint8Array.from(memory.bytes.subarray(page * pageBytes, (page + 1) * pageBytes)) });
  });
  return pages;
}

/** Empties the address space: the next task on the core starts from nothing. */
export function clearTaskMemory(memory: CoreTaskMemory): void {
  memory.bytes.fill(0);
  memory.present.fill(ABSENT);
}
