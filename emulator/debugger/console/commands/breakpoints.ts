import { formatTable } from '../../../reports/index.js';
import { DebugError, parseCondition, type Scope, type Watchpoint } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { coreWords, symbolWords } from '../completion.js';
import { expectArguments, parseAddress, parseCount, parseScope } from '../arguments.js';
import { CodeMap } from '../code-map.js';
import { coreName } from '../format.js';
import { MAX_READ_BYTES } from '../memory.js';
import { registerNames } from '../registers.js';

const ACCESSES: readonly Watchpoint['access'][] = ['read', 'write', 'access'];

function scopeName(scope: Scope): string {
  return scope === 'all' ? 'all cores' : coreName(scope);
}

/** The node whose symbols name an address for this scope: its core's, or the selected one's. */
function scopeNode(context: ConsoleContext, scope: Scope): number {
  return scope === 'all' ? context.session.selected.node : scope.node;
}

/** Registers every core in the scope has: a condition must be readable on each of them. */
function scopeRegisters(context: ConsoleContext, scope: Scope): string[] {
  const cores = scope === 'all' ? context.session.cluster.cores : [context.session.core(scope)];
  const sets = cores.map((core) => new Set(registerNames(core.isa, true)));
  return [...sets[0]!].filter((name) => sets.every((set) => set.has(name)));
}

/** `break` and `tbreak`: the same arguments; a temporary one goes once it stops the cluster. */
function breakpointCommand(name: string, temporary: boolean): Command {
  return {
    name,
    ...(temporary ? {} : { aliases: ['b'] }),
    usage: `${name} ADDR|SYMBOL|FILE.c:LINE[+OFF] [n<node>.c<core>|all] [if REG OP VALUE]`,
    summary: temporary ? 'a breakpoint deleted once it stops the cluster' : 'stop a core before it executes an address',
    details: [
      'The scope defaults to the selected core; with all, SYMBOL is looked up on the selected node.',
      'ADDR may add and subtract registers, symbols and numbers: $sp+8, foo+0x10.',
      'A condition compares a register with a number: == != < <= > >=, e.g. break foo all if eax == 5.',
    ],
    complete: (context, index) => (index === 0 ? symbolWords(context) : index === 1 ? [...coreWords(context), 'all', 'if'] : []),
    run(context, args) {
      const at = args.indexOf('if');
      const positional = at < 0 ? args : args.slice(0, at);
      expectArguments(positional, 1, 2, this.usage);
      if (at >= 0 && at === args.length - 1) throw new DebugError(`usage: ${this.usage}`);
      const { session } = context;
      const scope = positional[1] === undefined ? session.selected : parseScope(session, positional[1]);
      const address = parseAddress(session, positional[0]!, scopeNode(context, scope));
      const condition = at < 0 ? undefined : parseCondition(args.slice(at + 1).join(' '), scopeRegisters(context, scope));
      const breakpoint = session.addBreakpoint(address, scope, condition, temporary);
      const where = CodeMap.of(session, scopeNode(context, scope)).location(address);
      context.print(`${temporary ? 'temporary ' : ''}breakpoint ${breakpoint.id} at ${where} on ${scopeName(scope)}${condition ? ` if ${condition.text}` : ''}`);
    },
  };
}

export const breakCommand = breakpointCommand('break', false);
export const tbreakCommand = breakpointCommand('tbreak', true);

/** `enable` and `disable`: a breakpoint or watchpoint kept, but stopping or not. */
function switchCommand(name: 'enable' | 'disable'): Command {
  return {
    name,
    usage: `${name} ID...`,
    summary: `${name} breakpoints and watchpoints by id`,
    run(context, args) {
      expectArguments(args, 1, Infinity, this.usage);
      for (const arg of args) {
        if (!/^\d+$/.test(arg)) throw new DebugError(`${name}: '${arg}' is not a breakpoint id`);
        if (!context.session.setEnabled(Number(arg), name === 'enable')) throw new DebugError(`no breakpoint or watchpoint ${arg}`);
        context.print(`${name}d ${arg}`);
      }
    },
  };
}

export const enableCommand = switchCommand('enable');
export const disableCommand = switchCommand('disable');

export const watchCommand: Command = {
  name: 'watch',
  usage: 'watch ADDR|SYMBOL[+OFF] LEN [read|write|access] [n<node>.c<core>|all]',
  summary: 'stop a core before it reads or writes a range (default: writes, on the selected core)',
  complete: (context, index) => (index === 0 ? symbolWords(context) : index >= 2 ? [...ACCESSES, ...coreWords(context), 'all'] : []),
  run(context, args) {
    expectArguments(args, 2, 4, this.usage);
    const { session } = context;
    let access: Watchpoint['access'] = 'write';
    let scope: Scope = session.selected;
    for (const word of args.slice(2)) {
      if ((ACCESSES as readonly string[]).includes(word)) access = word as Watchpoint['access'];
      else if (word === 'all' || /^n\d+\.c\d+$/.test(word)) scope = parseScope(session, word);
      else throw new DebugError(`watch: '${word}' is neither ${ACCESSES.join(', ')} nor a core`);
    }
    const length = parseCount(args[1], 'watch length', MAX_READ_BYTES, 1);
    const address = parseAddress(session, args[0]!, scopeNode(context, scope));
    const watchpoint = session.addWatchpoint(address, length, access, scope);
    const where = CodeMap.of(session, scopeNode(context, scope)).location(address);
    context.print(`watchpoint ${watchpoint.id} at ${where}, ${length} byte${length === 1 ? '' : 's'} (${access}) on ${scopeName(scope)}`);
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  aliases: ['d'],
  usage: 'delete ID...',
  summary: 'delete breakpoints and watchpoints by id',
  run(context, args) {
    expectArguments(args, 1, Infinity, this.usage);
    const ids = args.map((arg) => {
      if (!/^\d+$/.test(arg)) throw new DebugError(`delete: '${arg}' is not a breakpoint id`);
      return Number(arg);
    });
    for (const id of ids) {
      if (!context.session.delete(id)) throw new DebugError(`no breakpoint or watchpoint ${id}`);
      context.print(`deleted ${id}`);
    }
  },
};

export const breakpointsTopic: Command = {
  name: 'breakpoints',
  usage: 'info breakpoints',
  summary: 'breakpoints, watchpoints and caught events',
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const rows = [
      ...session.breakpoints.filter((b) => b.id > 0).map((b) => [String(b.id), `${b.temporary ? 'tbreak' : 'break'}${b.enabled ? '' : ' (off)'}`,
        CodeMap.of(session, scopeNode(context, b.scope)).location(b.address),
        scopeName(b.scope), b.condition ? `if ${b.condition.text}` : '', String(b.hits)]),
      ...session.watchpoints.map((w) => [String(w.id), `watch ${w.access}${w.enabled ? '' : ' (off)'}`,
        CodeMap.of(session, scopeNode(context, w.scope)).location(w.address) + `, ${w.length} bytes`,
        scopeName(w.scope), '', '-']),
    ].sort((a, b) => Number(a[0]) - Number(b[0]));
    context.print(rows.length === 0 ? 'no breakpoints or watchpoints'
      : formatTable(['id', 'type', 'where', 'scope', 'condition', 'hits'], rows, new Set([0, 5])));
    context.print(session.catches.size === 0 ? 'catching no events' : `catching ${[...session.catches].join(', ')}`);
  },
};
