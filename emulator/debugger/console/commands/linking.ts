import { INTENSITIES, isIntensity, type Linker, type SymbolState } from '../../../../linker/index.js';
import { unreachable } from '../../../../isa/index.js';
import type { AgreementOutcome } from '../../../../guest-kernel/index.js';
import { formatTable } from '../../../reports/index.js';
import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';
import { expectArguments } from '../arguments.js';
import { coreName, hex } from '../format.js';

function selectedLinker(context: ConsoleContext): Linker {
  return context.session.cluster.node(context.session.selected.node).linker;
}

function knownSymbol(context: ConsoleContext, symbol: string): void {
  if (!selectedLinker(context).symbolNames().includes(symbol)) {
    throw new DebugError(`node ${context.session.selected.node} binds no symbol '${symbol}'`);
  }
}

/** How a call reaches the symbol now. */
function via(state: Readonly<SymbolState>): string {
  if (state.open) return 'fail-safe entry (links on first call)';
  switch (state.intensity) {
    case 'immediate':
      return 'call sites';
    case 'mediated':
      return state.trampoline === undefined ? 'trampoline' : `trampoline ${hex(state.trampoline)}`;
    case 'weak':
    case 'failsafe':
      return 'mediator';
    default:
      return unreachable(state.intensity);
  }
}

const completeSymbols = (context: ConsoleContext): readonly string[] => selectedLinker(context).symbolNames();

export const bindingsTopic: Command = {
  name: 'bindings',
  usage: 'info bindings',
  summary: 'the selected node\'s binding table: intensity, module, how calls get there, mediator calls',
  details: ['The last column is the module in the selected core\'s replica of the table (agreement).'],
  run(context, args) {
    expectArguments(args, 0, 0, this.usage);
    const { session } = context;
    const linker = selectedLinker(context);
    const calls = new Map<string, number>();
    for (const entry of linker.calls()) calls.set(entry.symbol, (calls.get(entry.symbol) ?? 0) + entry.calls);
    const replica = session.cluster.kernel.replica(session.selected.node, session.selected.core);
    const rows = linker.symbolNames().map((symbol) => {
      const state = linker.binding(symbol);
      return [symbol, state.intensity, state.provider ?? '-', via(state), String(calls.get(symbol) ?? 0),
        replica.table.get(symbol) ?? '-'];
    });
    context.print(rows.length === 0 ? `node ${session.selected.node} binds no symbols`
      : formatTable(['symbol', 'intensity', 'module', 'via', 'mediator calls', `${coreName(session.selected)} replica`], rows, new Set([4])));
  },
};

export const bindCommand: Command = {
  name: 'bind',
  usage: `bind SYMBOL ${INTENSITIES.join('|')}`,
  summary: 're-bind a symbol of the selected node now (failsafe opens it again)',
  details: ['Every core of the node takes the change before it runs again. A catch on relink does not stop for it.'],
  complete: (context, index) => (index === 0 ? completeSymbols(context) : index === 1 ? INTENSITIES : []),
  run(context, args) {
    expectArguments(args, 2, 2, this.usage);
    const [symbol, intensity] = args as [string, string];
    knownSymbol(context, symbol);
    if (!isIntensity(intensity)) throw new DebugError(`'${intensity}' is not a binding intensity: ${INTENSITIES.join(', ')}`);
    const { catches } = context.session;
    // The user asked for this re-link: a relink catchpoint is for the ones the kernel makes.
    const catching = catches.delete('relink');
    try {
      selectedLinker(context).bind(symbol, intensity);
      context.session.changedByHand(`bind ${symbol}`);
    } finally {
      if (catching) catches.add('relink');
    }
    context.print(`${symbol} bound ${intensity} on node ${context.session.selected.node}`);
  },
};

function describeOutcome(change: string, outcome: AgreementOutcome): string {
  const noes = outcome.votes.filter((vote) => !vote.yes).map((vote) => coreName(vote));
  const verdict = outcome.committed ? 'committed' : `aborted (${noes.length > 0 ? `${noes.join(', ')} voted no` : 'votes missing'})`;
  return `${change} ${verdict}: decided at ${outcome.decidedNs} ns, every replica acknowledged at ${outcome.doneNs} ns`;
}

export const relinkCommand: Command = {
  name: 'relink',
  usage: 'relink SYMBOL MODULE',
  summary: 'switch the module behind a symbol by two-phase commit among the node\'s cores, coordinated by the selected core',
  details: [
    'Runs the cluster until every replica has acknowledged; a breakpoint or caught event may stop it first,',
    'and the agreement then finishes as the cluster runs on.',
  ],
  complete: (context, index, previous) => (index === 0 ? completeSymbols(context)
    : index === 1 ? selectedLinker(context).providersOf(previous[0] ?? '') : []),
  async run(context, args) {
    expectArguments(args, 2, 2, this.usage);
    const [symbol, module] = args as [string, string];
    knownSymbol(context, symbol);
    const { session } = context;
    const providers = selectedLinker(context).providersOf(symbol);
    if (!providers.includes(module)) {
      throw new DebugError(`module '${module}' does not export ${symbol} (${providers.join(', ') || 'no module does'})`);
    }
    const ref = session.selected;
    const atNs = Math.round(session.core(ref).virtualTimeNs());
    const change = `relink ${symbol} -> ${module} on node ${ref.node}`;
    let outcome: AgreementOutcome | undefined;
    session.changedByHand(change);
    session.cluster.kernel.relinkByAgreement(ref.node, ref.core, { symbol, module }, atNs, (done) => {
      outcome = done;
      context.print(describeOutcome(change, done));
    });
    context.print(`${change}: proposed by ${coreName(ref)} at ${atNs} ns`);
    const stop = await context.run(() => outcome !== undefined);
    if (!stop) return;
    context.report(stop);
    if (!outcome) context.print(`${change} is pending: it finishes as the cluster runs on`);
  },
};
