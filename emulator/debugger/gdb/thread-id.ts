import type { CoreRef } from '../session.js';

/**
 * A thread id as gdb sends it. Each node is a process and each core a thread, numbered
 * from 1 as QEMU does: pid = node + 1, tid = core + 1. -1 means all, 0 means any.
 */
export interface ThreadSelector {
  readonly pid: number;
  readonly tid: number;
}

function idPart(text: string): number | undefined {
  if (text === '-1') return -1;
  return /^[0-9a-f]{1,8}$/i.test(text) ? parseInt(text, 16) : undefined;
}

/** `pP.T`, `pP` (every thread of P) or a bare `T`; undefined when malformed. */
export function parseThreadId(text: string): ThreadSelector | undefined {
  const multiprocess = /^p([^.]+)(?:\.(.+))?$/i.exec(text);
  if (multiprocess) {
    const pid = idPart(multiprocess[1]!);
    const tid = multiprocess[2] === undefined ? -1 : idPart(multiprocess[2]);
    return pid === undefined || tid === undefined ? undefined : { pid, tid };
  }
  const tid = idPart(text);
  return tid === undefined ? undefined : { pid: 0, tid };
}

export function formatThreadId(ref: CoreRef): string {
  return `p${(ref.node + 1).toString(16)}.${(ref.core + 1).toString(16)}`;
}

export function matches(selector: ThreadSelector, ref: CoreRef): boolean {
  const pidOk = selector.pid <= 0 || selector.pid === ref.node + 1;
  const tidOk = selector.tid <= 0 || selector.tid === ref.core + 1;
  return pidOk && tidOk;
}
