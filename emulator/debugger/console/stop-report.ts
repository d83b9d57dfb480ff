import { unreachable } from '../../../isa/index.js';
import { formatFault } from '../../machine/index.js';
import type { CoreRef, DebugSession, StopReason } from '../session.js';
import { CodeMap } from './code-map.js';
import { decode, formatInstruction } from './disassembly.js';
import { coreName, hex } from './format.js';

type CaughtEvent = Extract<StopReason, { kind: 'catch' }>['event'];

/** The core a stop concerns, which the console selects. */
export function stoppedCore(stop: StopReason): CoreRef | undefined {
  switch (stop.kind) {
    case 'breakpoint':
    case 'watchpoint':
    case 'fault':
    case 'step':
    case 'history-start':
      return stop.core;
    case 'catch':
      return 'core' in stop.event ? { node: stop.event.node, core: stop.event.core } : undefined;
    case 'interrupt':
    case 'blocked':
    case 'exited':
      return undefined;
    default:
      return unreachable(stop);
  }
}

/** Lines telling why the cluster stopped, then the instruction the selected core resumes at. */
export function describeStop(session: DebugSession, stop: StopReason): string[] {
  const ref = session.selected;
  const core = session.core(ref);
  const map = CodeMap.of(session, ref.node);
  const where = map.location(core.pc);
  const headline = ((): string => {
    switch (stop.kind) {
      case 'breakpoint':
        return `${coreName(stop.core)} stopped at breakpoint ${stop.id}, ${where}`;
      case 'watchpoint':
        return `${coreName(stop.core)} stopped at watchpoint ${stop.id} (${stop.write ? 'write' : 'read'} at ${hex(stop.address)}), ${where}`;
      case 'catch':
        return `caught ${describeEvent(session, stop.event)}`;
      case 'step':
        return stop.core ? `${coreName(stop.core)} ${statusOf(session, stop.core)}` : `every core stepped; ${coreName(ref)} ${statusOf(session, ref)}`;
      case 'fault': {
        const fault = session.core(stop.core).summary().fault;
        return fault ? formatFault(fault) : `${coreName(stop.core)} faulted: ${stop.reason}`;
      }
      case 'interrupt':
        return `interrupted; ${coreName(ref)} ${statusOf(session, ref)}`;
      case 'blocked':
        return `the cores let run all wait on cores kept stopped; ${coreName(ref)} ${statusOf(session, ref)}`;
      case 'history-start':
        return `no more reverse-execution history; ${coreName(ref)} ${statusOf(session, ref)}`;
      case 'exited':
        return 'every core has exited or faulted';
    }
  })();
  const resumable = stop.kind !== 'exited' && (core.status === 'ready' || core.status === 'sleeping');
  if (!resumable) return [headline];
  const disassembler = session.cluster.node(ref.node).disassembler;
  return [headline, ...decode(core, disassembler, core.pc, 1).map((insn) => formatInstruction(map, insn, true))];
}

/** Where a core stands: its pc, or why it does not run. */
export function statusOf(session: DebugSession, ref: CoreRef): string {
  const core = session.core(ref);
  const where = CodeMap.of(session, ref.node).location(core.pc);
  switch (core.status) {
    case 'ready':
      return `at ${where}`;
    case 'sleeping':
      return Number.isFinite(core.wakeTimeNs)
        ? `sleeps until ${Math.round(core.wakeTimeNs)} ns at ${where}`
        : `waits (blocked) at ${where}`;
    case 'exited':
      return `exited with status ${core.summary().exitStatus}`;
    case 'faulted':
      return `faulted: ${core.summary().fault?.reason ?? 'fault'}`;
    case 'idle':
      return 'is idle (no program, no task)';
  }
}

/** One ring write can carry several messages; a single one goes unsaid. */
const messages = (count: number) => (count === 1 ? '' : `${count} messages `);

function describeEvent(session: DebugSession, event: CaughtEvent): string {
  switch (event.kind) {
    case 'relink':
      return event.symbol === undefined
        ? `relink: node ${event.node}'s code changed`
        : `relink: node ${event.node} re-linked ${event.symbol} (now ${event.binding})`;
    case 'dsm-fault':
      return `dsm-fault: ${coreName(event)} faults in page ${hex(event.address)} ${event.remote ? 'from its owner' : 'from its node\'s copy'}`;
    case 'commit': {
      const dsm = session.cluster.kernel.dsm;
      const pages = event.pages.map((page) => hex(dsm ? dsm.config.base + page * dsm.config.pageBytes : page)).join(', ');
      return `commit: ${coreName(event)} commits page${event.pages.length === 1 ? '' : 's'} ${pages}, global time ${event.globalTime}`;
    }
    case 'abort':
      return `abort: ${coreName(event)}'s transaction is aborted`;
    case 'send':
      return `send: ${coreName(event)} sends ${messages(event.messages)}on channel ${event.channel}`;
    case 'receive':
      return `receive: ${coreName(event)} receives ${messages(event.messages)}on channel ${event.channel}`;
    case 'task-spawn':
      return `task-spawn: ${coreName(event)} asks for task${event.count === 1 ? ` ${event.first}` : `s ${event.first} to ${event.first + event.count - 1}`} (${event.method})`;
    case 'task-exit':
      return `task-exit: task ${event.task} on ${coreName(event)} exits with ${event.value}`;
    case 'task-migrate':
      return `task-migrate: task ${event.task} leaves ${coreName(event)} for node ${event.to}`;
  }
}
