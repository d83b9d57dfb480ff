import { Shell } from '../console/shell.js';
import type { DebugSession } from '../session.js';

/**
 * Console commands that move the cluster or end the session: from gdb they would run
 * the cores behind gdb's back, which thinks them stopped (gdb's own `continue`, `stepi`
 * and `detach` do these).
 */
const REFUSED = new Set(['continue', 'c', 'step', 's', 'stepi', 'si', 'stepall', 'quit', 'q', 'exit']);

/**
 * gdb's `monitor LINE` (qRcmd): one console command, its output as the console prints
 * it. A command that would run the cores is refused with one line saying what to use.
 */
export async function runMonitor(session: DebugSession, line: string): Promise<string> {
  const name = line.trim().split(/\s+/)[0] ?? '';
  if (REFUSED.has(name)) return `error: monitor ${name}: the cores run under gdb's control; use gdb's own command\n`;
  let output = '';
  const shell = new Shell(session, (text) => {
    output += text;
  });
  await shell.execute(line);
  return output;
}
