import { ISAS, type IsaName } from '../../../../isa/index.js';
import type { Core } from '../../../machine/index.js';
import { DebugError, type CoreRef, type DebugSession, type StopReason } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { symbolWords } from '../completion.js';
import { expectArguments, parseAddress, parseCount } from '../arguments.js';
import { CodeMap } from '../code-map.js';
import { fallThrough, flowOf, jumpsBack } from '../control-flow.js';
import { decode, type Instruction } from '../disassembly.js';
import { coreName, hex } from '../format.js';

/** Where each ABI returns a function's value (SPARC: the caller's %o0, once the callee's window is gone). */
const RETURN_VALUE: Readonly<Record<IsaName, string>> = { 'x86-32': 'eax', 'x86-64': 'rax', sparc32: 'o0', sparc64: 'o0' };

/** Calls and lines per `next N`: each may run the cluster for long, so bound N as step does. */
const MAX_COUNT = 10_000;

/** Stacks grow down on both ISAs: a deeper frame's stack pointer is below its caller's. */
function stackPointer(core: Core): bigint {
  return core.readRegister(ISAS[core.isa].registers.sp);
}

function selectedCore(session: DebugSession): { ref: CoreRef; core: Core } {
  const ref = session.selected;
  const core = session.core(ref);
  if (!core.isRunnable) throw new DebugError(`${coreName(ref)} is ${core.status}, it cannot step`);
  return { ref, core };
}

function instructionAt(session: DebugSession, core: Core, address: number): Instruction {
  return decode(core, session.cluster.node(core.nodeId).disassembler, address, 1)[0]!;
}

/**
 * Runs the cluster until `ref` reaches `address` in the frame whose stack pointer is
 * `sp` or an outer one (a recursive call's deeper frame passes by), or something else
 * stops it; a step stop of `ref` when it got there. Other cores run as in `continue`.
 */
async function runTo(context: ConsoleContext, ref: CoreRef, address: number, sp: bigint): Promise<StopReason> {
  const { session } = context;
  const breakpoint = session.addInternalBreakpoint(address, ref);
  try {
    return await context.repeat<StopReason>(() => {
      const stop = session.continueFor(1);
      if (stop?.kind !== 'breakpoint' || stop.id !== breakpoint.id) return stop;
      return stackPointer(session.core(ref)) >= sp ? { kind: 'step', core: ref } : undefined;
    });
  } finally {
    session.delete(breakpoint.id);
  }
}

/** One `next`: over a call to its return, else one instruction. */
function nextOnce(context: ConsoleContext, overLoops: boolean): Promise<StopReason> | StopReason {
  const { session } = context;
  const { ref, core } = selectedCore(session);
  const insn = instructionAt(session, core, core.pc);
  if (flowOf(core.isa, insn) === 'call' || (overLoops && jumpsBack(core.isa, insn))) return runTo(context, ref, fallThrough(core.isa, insn), stackPointer(core));
  return session.stepInOrder(ref, 1);
}

async function repeatNext(context: ConsoleContext, count: number, overLoops: boolean): Promise<void> {
  let stop: StopReason = { kind: 'step', core: context.session.selected };
  for (let i = 0; i < count && stop.kind === 'step'; i++) stop = await nextOnce(context, overLoops);
  context.report(stop);
}

export const nextCommand: Command = {
  name: 'next',
  aliases: ['n', 'nexti', 'ni'],
  usage: 'next [N]',
  summary: 'step N instructions of the selected core (default 1), running each call to its return',
  details: [
    'A call runs until the core is back at the instruction after it (past the delay slot on SPARC) in the',
    'same frame: a recursive call returning there from deeper does not stop it. The other cores run as in',
    'continue meanwhile, so, as step, next never changes what the cluster computes.',
  ],
  async run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    await repeatNext(context, parseCount(args[0], 'next', MAX_COUNT, 1), false);
  },
};

export const untilCommand: Command = {
  name: 'until',
  aliases: ['u'],
  usage: 'until [EXPR]',
  summary: 'next, but a backward jump (a loop) runs until the core is past it; with EXPR, run until the core reaches it',
  details: ['With EXPR (an address, symbol or FILE.c:LINE), it stops there in the current frame or an outer one.'],
  complete: (context, index) => (index === 0 ? symbolWords(context) : []),
  async run(context, args) {
    expectArguments(args, 0, 1, this.usage);
    if (args[0] === undefined) return repeatNext(context, 1, true);
    const { ref, core } = selectedCore(context.session);
    const address = parseAddress(context.session, args[0], ref.node);
    context.report(await runTo(context, ref, address, stackPointer(core)));
  },
};

export const finishCommand: Command = {
  name: 'finish',
  aliases: ['fin'],
  usage: 'finish',
  summary: 'run the selected core until the function it is in returns, and show the value returned',
  details: [
    'The function\'s own instructions are stepped one by one (calls it makes run at full speed), so the',
    'first return at its level ends it, whatever the code\'s frame layout. Ctrl-C stops it.',
  ],
  async run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const { ref, core } = selectedCore(session);
    const map = CodeMap.of(session, ref.node);
    const from = map.symbolAt(core.pc)?.name ?? hex(core.pc);
    const stop = await finish(context, ref, core);
    if (stop.kind === 'step' && core.isRunnable) {
      const register = RETURN_VALUE[core.isa];
      const value = core.readRegister(register);
      context.print(`finish: returned from ${from}, ${register} = ${hex(value)} (${value})`);
    }
    context.report(stop);
  },
};

/**
 * Steps the core through its function: a call runs to its return (as `next`), any
 * other instruction steps; the first return steps (with its delay slot on SPARC) and
 * ends it. Decodes each address once: the loop usually runs the same few.
 */
async function finish(context: ConsoleContext, ref: CoreRef, core: Core): Promise<StopReason> {
  const { session } = context;
  const decoded = new Map<number, Instruction>();
  const facts = ISAS[core.isa];
  let slotLeft = false;
  for (;;) {
    const end = await context.repeat<StopReason | { readonly kind: 'call'; readonly insn: Instruction }>(() => {
      // A core that blocks in its function goes on once the cluster has woken it.
      if (core.status === 'sleeping') return session.continueFor(1);
      const pc = core.pc;
      const insn = decoded.get(pc) ?? instructionAt(session, core, pc);
      decoded.set(pc, insn);
      const flow = slotLeft ? 'other' : flowOf(core.isa, insn);
      if (flow === 'call') return { kind: 'call', insn };
      const stop = session.stepInOrder(ref, 1);
      if (stop.kind !== 'step') return stop;
      if (slotLeft) return stop;
      if (flow !== 'return') return undefined;
      // A step on SPARC runs a transfer with its delay slot, unless it stopped between them.
      slotLeft = facts.delaySlots && core.pc === insn.address + facts.instructionAlign;
      return slotLeft ? undefined : stop;
    });
    if (end.kind !== 'call') return end;
    const back = await runTo(context, ref, fallThrough(core.isa, end.insn), stackPointer(core));
    if (back.kind !== 'step') return back;
  }
}
