import type { CoreRef, Nodes } from '../session.js';
import { reply, type Action } from './action.js';
import { E_MALFORMED, E_NOT_FOUND } from './errors.js';
import { parseHexNumber } from './hex.js';
import { SIGTRAP, threadStop } from './stop-reply.js';
import type { PointType } from './points.js';
import type { GdbTarget } from './target.js';
import { parseThreadId, type ThreadSelector } from './thread-id.js';

/** `Hg THREAD` / `Hc THREAD`: 0 and -1 keep a live thread of any process. */
export function selectThread(target: GdbTarget, which: string, text: string): Action {
  const selector = parseThreadId(text);
  if (!selector || (which !== 'g' && which !== 'c')) return reply(E_MALFORMED);
  if (which === 'c') {
    target.resumeSelector = selector;
    return reply('OK');
  }
  const ref = selector.pid <= 0 && selector.tid <= 0 ? target.generalThread() : target.processes.find(selector);
  if (!ref) return reply(E_NOT_FOUND);
  target.general = ref;
  return reply('OK');
}

/** `T THREAD`: is it alive. */
export function threadAlive(target: GdbTarget, text: string): Action {
  const selector = parseThreadId(text);
  if (!selector) return reply(E_MALFORMED);
  return reply(target.processes.find(selector) ? 'OK' : E_NOT_FOUND);
}

/** The thread a step without an explicit thread applies to. */
function stepThread(target: GdbTarget, selector: ThreadSelector | undefined): CoreRef | undefined {
  const chosen = selector ?? target.resumeSelector;
  if (chosen.pid <= 0 && chosen.tid <= 0) return target.generalThread();
  return target.processes.find(chosen);
}

/** The processes a continue of these threads runs: all, for a thread of any process. */
function continuedNodes(selectors: readonly (ThreadSelector | undefined)[]): Nodes {
  if (selectors.some((selector) => !selector || selector.pid <= 0)) return undefined;
  return [...new Set(selectors.map((selector) => selector!.pid - 1))];
}

/** A continue of exactly one named thread runs that core alone. */
function continueAction(target: GdbTarget, selectors: readonly (ThreadSelector | undefined)[]): Action {
  const only = selectors.length === 1 ? selectors[0] : undefined;
  if (only && only.pid > 0 && only.tid > 0) {
    const core = target.processes.find(only);
    return core ? { kind: 'resume', resume: { kind: 'run-core', core } } : reply(E_NOT_FOUND);
  }
  return { kind: 'resume', resume: { kind: 'continue', nodes: continuedNodes(selectors) } };
}

/** Steps the named thread; `continued` are the threads that run meanwhile (none: locked). */
function stepAction(target: GdbTarget, selector: ThreadSelector | undefined,
                    continued: readonly (ThreadSelector | undefined)[]): Action {
  const core = stepThread(target, selector);
  if (!core) return reply(E_NOT_FOUND);
  const others = continued.length === 0 ? 'none' : continuedNodes(continued);
  return { kind: 'resume', resume: { kind: 'step', core, others } };
}

/**
 * Legacy `c [ADDR]`, `s [ADDR]`, `C sig[;ADDR]`, `S sig[;ADDR]` on the Hc thread: an
 * address moves that core first; signals are not delivered (the guest has none). A
 * step steps that thread alone.
 */
export function legacyResume(target: GdbTarget, command: string, args: string): Action {
  const address = command === 'c' || command === 's' ? args : args.split(';')[1];
  const step = command === 's' || command === 'S';
  if (!target.generalThread()) return reply(E_NOT_FOUND);
  if (address !== undefined && address !== '') {
    const pc = parseHexNumber(address);
    const core = stepThread(target, target.resumeSelector);
    if (pc === undefined) return reply(E_MALFORMED);
    if (!core) return reply(E_NOT_FOUND);
    target.session.core(core).setPc(pc);
    target.session.changedByHand('a resume at another address');
  }
  return step ? stepAction(target, target.resumeSelector, []) : continueAction(target, [target.resumeSelector]);
}

/**
 * `vCont;ACTION[:THREAD]...` (the arguments after the first ';'), all-stop. A step
 * action steps its thread while the threads of the continue actions run in schedule
 * order (gdb's `stepi` sends `s:p1.1;c:p1.-1`), or alone without any. Continue actions
 * run just the processes they name (QEMU's gdb_continue_partial): gdb resumes only the
 * current inferior unless `set schedule-multiple on`, which sends a bare `c`. The
 * stopped processes keep their virtual time, so such a run differs from a free one.
 */
export function vCont(target: GdbTarget, args: string): Action {
  const actions = args.split(';').map((part) => {
    const [action = '', thread] = part.split(':');
    return { action: action[0] ?? '', selector: thread === undefined ? undefined : parseThreadId(thread), thread };
  });
  const valid = actions.length > 0 && actions.every((a) => 'cCsS'.includes(a.action) && a.action !== ''
    && (a.thread === undefined || a.selector !== undefined));
  if (!valid) return reply(E_MALFORMED);
  if (!target.generalThread()) return reply(E_NOT_FOUND);
  const continued = actions.filter((a) => a.action === 'c' || a.action === 'C').map((a) => a.selector);
  const step = actions.find((a) => a.action === 's' || a.action === 'S');
  return step ? stepAction(target, step.selector, continued) : continueAction(target, continued);
}

/** `bs`, `bc`: the Hc thread back one instruction, or the cluster back to the last breakpoint or watchpoint hit. */
export function reverseResume(target: GdbTarget, text: string): Action {
  if (text === 'c') return { kind: 'resume', resume: { kind: 'reverse-continue' } };
  if (text !== 's') return reply(E_MALFORMED);
  const core = stepThread(target, undefined);
  return core ? { kind: 'resume', resume: { kind: 'reverse-step', core } } : reply(E_NOT_FOUND);
}

function parsePoint(text: string): { type: PointType; address: number; length: number } | 'unsupported' | undefined {
  const [type, address, kind] = text.split(';')[0]!.split(',');
  const addressValue = parseHexNumber(address ?? '');
  const length = parseHexNumber(kind ?? '');
  if (addressValue === undefined || length === undefined) return undefined;
  // An emulator has no debug registers to run out of: a hardware breakpoint (gdb's
  // `hbreak`, Z1) is a software one, as QEMU's stub makes it.
  if (type === '1') return { type: 0, address: addressValue, length };
  if (type !== '0' && type !== '2' && type !== '3' && type !== '4') return 'unsupported';
  return { type: Number(type) as PointType, address: addressValue, length };
}

/** `Z`/`z TYPE,ADDR,KIND`: per process (the general thread's node); Z1 is taken as Z0. */
export function point(target: GdbTarget, insert: boolean, text: string): Action {
  const parsed = parsePoint(text);
  if (parsed === 'unsupported') return reply('');
  const ref = target.generalThread();
  if (!parsed || (parsed.type !== 0 && parsed.length === 0)) return reply(E_MALFORMED);
  if (!ref) return reply(E_NOT_FOUND);
  if (insert) {
    target.points.insert(parsed.type, ref.node, parsed.address, parsed.length);
    return reply('OK');
  }
  return reply(target.points.remove(parsed.type, ref.node, parsed.address, parsed.length) ? 'OK' : E_NOT_FOUND);
}

/**
 * `D;PID` and `vKill;PID` end one process for gdb: its breakpoints go and it leaves
 * the thread list. A kill also ends the node's cores (they stop as killed, and the
 * others run on); a detached node runs on. The session closes once no process is left.
 */
export function endProcess(target: GdbTarget, text: string, kill: boolean): Action {
  const pid = parseHexNumber(text);
  if (pid === undefined) return reply(E_MALFORMED);
  if (!target.processes.isLive(pid - 1)) return reply(E_NOT_FOUND);
  target.points.removeNode(pid - 1);
  target.processes.end(pid - 1);
  if (kill) target.session.killNode(pid - 1);
  return target.processes.liveNodes.length === 0 ? { kind: 'close', reply: 'OK' } : reply('OK');
}

/** `vAttach;PID`: the node becomes gdb's process again, stopped where it is. */
export function attachProcess(target: GdbTarget, text: string): Action {
  const pid = parseHexNumber(text);
  const node = pid === undefined ? -1 : pid - 1;
  if (node < 0 || node >= target.session.cluster.nodes.length) return reply(E_NOT_FOUND);
  target.processes.attach(node);
  target.general = { node, core: 0 };
  return reply(threadStop(SIGTRAP, target.general));
}
