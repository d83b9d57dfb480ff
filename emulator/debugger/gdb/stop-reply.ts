import type { CoreRef } from '../session.js';
import { formatThreadId } from './thread-id.js';

export const SIGINT = 2;
export const SIGTRAP = 5;
const SIGILL = 4;
const SIGFPE = 8;
const SIGSEGV = 11;

/** The signal a POSIX system would raise for a core's fault, named by the kernel's reason. */
export function signalOfFault(reason: string): number {
  if (/invalid instruction/i.test(reason)) return SIGILL;
  if (/division by zero/i.test(reason)) return SIGFPE;
  return SIGSEGV;
}

function hexByte(value: number): string {
  return (value & 0xff).toString(16).padStart(2, '0');
}

/** `T05thread:p1.1;` plus stop details such as `swbreak:;` or `watch:ADDR;`. */
export function threadStop(signal: number, ref: CoreRef, details = ''): string {
  return `T${hexByte(signal)}thread:${formatThreadId(ref)};${details}`;
}

/** `W` with an exit status, or `X` with the signal that ended the process. */
export function processExit(node: number, outcome: { readonly status: number } | { readonly signal: number }): string {
  const pid = (node + 1).toString(16);
  return 'signal' in outcome ? `X${hexByte(outcome.signal)};process:${pid}` : `W${hexByte(outcome.status)};process:${pid}`;
}
