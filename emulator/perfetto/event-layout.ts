import type { KernelEvent } from '../../guest-kernel/index.js';
import type { Args, CounterSample, Instant, Place, Span } from './timeline.js';

// Lays the kernel's events out as a timeline: instants where something happened, spans
// for what lasts (a transaction and its restarts, a commit's wait for the token and its
// broadcast, a re-link's two phases, a task on its core), flows from each message's
// sender to its receiver, and the counters they change.

export interface Recorder {
  span(span: Span): void;
  instant(instant: Instant): void;
  counter(sample: CounterSample): void;
}

interface OpenSpan {
  readonly name: string;
  readonly startNs: number;
  /** When the core asked for the commit token, if it has. */
  requestNs?: number;
}

const hex = (value: number) => `0x${value.toString(16)}`;

export class EventLayout {
  private readonly transactions = new Map<number, OpenSpan>();
  private readonly tasks = new Map<number, OpenSpan>();
  /** Per channel, the flows of messages sent and not received yet: the nth sent is the nth received. */
  private readonly unreceived = new Map<number, number[]>();
  /** Per node, where each re-link row is free from: overlapping re-links take separate rows. */
  private readonly reLinkRows = new Map<number, number[]>();
  private nextFlow = 1;
  private inFlight = 0;

  constructor(private readonly record: Recorder) {}

  /** `core` indexes the timeline's cores (undefined for a node kernel's own event); `nowNs` is its clock. */
  event(event: KernelEvent, core: number | undefined, nowNs: number): void {
    if (event.kind === 'task-message') return this.taskMessage(event);
    if (core === undefined) return;
    const at = { core, lane: 'state' } as const;
    const instant = (name: string, category: string, args: Args, atNs = nowNs) => this.record.instant({ place: at, atNs, name, category, args });
    switch (event.kind) {
      case 'dsm-fault':
        instant('page fault', 'dsm', { address: hex(event.address), from: event.remote ? 'owner' : 'node copy' });
        if (event.transfer) this.pageTransfer(core, event.address, event.node, event.transfer);
        return;
      case 'tx-begin': return void this.transactions.set(core, { name: 'transaction', startNs: nowNs });
      case 'tx-commit-request': {
        const open = this.transactions.get(core);
        if (open) open.requestNs = nowNs;
        return;
      }
      case 'tx-read-only': return void this.closeTransaction(core, nowNs, { writes: 0 });
      case 'commit': return this.commit(core, event);
      case 'abort': return this.abort(core, event);
      case 'send':
      case 'receive': return this.message(event, core, nowNs);
      case 'relink-agreed': return this.reLink(event);
      case 'task-spawn': return instant('spawn', 'tasks', { first: event.first, count: event.count, method: event.method });
      case 'task-start':
        return void this.tasks.set(core, { name: event.migrated ? `task ${event.task} (migrated here)` : `task ${event.task}`, startNs: event.atNs });
      case 'task-exit':
        instant('task exit', 'tasks', { task: event.task, value: event.value.toString() });
        return this.closeTask(core, nowNs, { value: event.value.toString() });
      case 'task-migrate':
        instant('migrate', 'tasks', { task: event.task, to: event.to });
        return this.closeTask(core, nowNs, { 'migrated to node': event.to });
    }
  }

  /** The run ended: what is still open ends at its core's last clock. */
  finish(endNs: (core: number) => number): void {
    for (const core of [...this.transactions.keys()]) this.closeTransaction(core, endNs(core), { open: 'when the run ended' });
    for (const core of [...this.tasks.keys()]) this.closeTask(core, endNs(core), { open: 'when the run ended' });
  }

  private flow(): number {
    return this.nextFlow++;
  }

  private pageTransfer(core: number, address: number, node: number, transfer: Extract<KernelEvent, { kind: 'dsm-fault' }>['transfer'] & object): void {
    const flow = this.flow();
    this.record.instant({ place: { node: transfer.owner, lane: 'kernel' }, atNs: transfer.sentNs, name: 'page sent', category: 'dsm',
      args: { address: hex(address), to: node }, flowsOut: [flow] });
    this.record.instant({ place: { core, lane: 'state' }, atNs: transfer.arrivedNs, name: 'page arrived', category: 'dsm',
      args: { address: hex(address), from: transfer.owner }, flowIn: flow });
  }

  private spanOn(place: Place, name: string, category: string, startNs: number, endNs: number, depth: number, args: Args = {}): void {
    // A nested phase of no length says nothing and could not nest on the track.
    if (depth > 0 && endNs <= startNs) return;
    this.record.span({ place, name, category, startNs, endNs: Math.max(startNs, endNs), depth, args });
  }

  private closeTransaction(core: number, endNs: number, args: Args): OpenSpan | undefined {
    const open = this.transactions.get(core);
    if (!open) return undefined;
    this.transactions.delete(core);
    this.spanOn({ core, lane: 'transactions' }, open.name, 'dsm', open.startNs, endNs, 0, args);
    return open;
  }

  private commit(core: number, event: Extract<KernelEvent, { kind: 'commit' }>): void {
    const flows = event.deliveries.map(() => this.flow());
    this.record.instant({ place: { core, lane: 'state' }, atNs: event.grantNs, name: 'commit', category: 'dsm',
      args: { pages: event.pages.length, 'global time': event.globalTime }, flowsOut: flows });
    this.record.counter({ counter: 'global time', atNs: event.grantNs, value: event.globalTime });
    event.deliveries.forEach((delivery, i) => this.record.instant({
      place: { node: delivery.node, lane: 'kernel' }, atNs: delivery.atNs, name: 'commit arrives', category: 'dsm',
      args: { from: event.node, 'global time': event.globalTime }, flowIn: flows[i]!,
    }));
    const open = this.closeTransaction(core, event.doneNs, { pages: event.pages.length, 'global time': event.globalTime });
    if (!open) return;
    const lane = { core, lane: 'transactions' } as const;
    this.spanOn(lane, 'waiting for the token', 'dsm', open.requestNs ?? event.grantNs, event.grantNs, 1);
    this.spanOn(lane, 'commit broadcast', 'dsm', event.grantNs, event.doneNs, 1);
  }

  private abort(core: number, event: Extract<KernelEvent, { kind: 'abort' }>): void {
    this.record.instant({ place: { core, lane: 'state' }, atNs: event.atNs, name: 'abort', category: 'dsm', args: { cause: event.cause, restart: event.restart } });
    const lane = { core, lane: 'transactions' } as const;
    const open = this.closeTransaction(core, event.atNs, { aborted: event.cause });
    if (open?.requestNs !== undefined) this.spanOn(lane, 'waiting for the token', 'dsm', open.requestNs, event.atNs, 1);
    this.spanOn(lane, 'backoff', 'dsm', event.atNs, event.wakeNs, 0);
    this.transactions.set(core, { name: `restart ${event.restart}`, startNs: event.wakeNs });
  }

  /** One instant per message, so that each is a flow of its own. */
  private message(event: Extract<KernelEvent, { kind: 'send' | 'receive' }>, core: number, atNs: number): void {
    const waiting = this.unreceived.get(event.channel) ?? [];
    this.unreceived.set(event.channel, waiting);
    for (let i = 0; i < event.messages; i++) {
      const flow = event.kind === 'send' ? this.flow() : waiting.shift();
      if (event.kind === 'send') waiting.push(flow!);
      this.inFlight += event.kind === 'send' ? 1 : -1;
      this.record.instant({
        place: { core, lane: 'state' }, atNs, name: event.kind, category: 'channels', args: { channel: event.channel },
        ...(event.kind === 'send' ? { flowsOut: [flow!] } : flow === undefined ? {} : { flowIn: flow }),
      });
    }
    this.record.counter({ counter: 'messages in flight', atNs, value: this.inFlight });
  }

  private reLink(event: Extract<KernelEvent, { kind: 'relink-agreed' }>): void {
    const rows = this.reLinkRows.get(event.node) ?? [];
    this.reLinkRows.set(event.node, rows);
    let row = rows.findIndex((freeNs) => freeNs <= event.proposedNs);
    if (row < 0) row = rows.push(0) - 1;
    rows[row] = event.doneNs;
    const place = { node: event.node, lane: 're-links', row } as const;
    const outcome = event.committed ? 'committed' : 'aborted';
    this.spanOn(place, `re-link ${event.symbol} → ${event.module}`, 'linker', event.proposedNs, event.doneNs, 0,
      { outcome, 'yes votes': `${event.votesYes} of ${event.votes}`, coordinator: `n${event.node}.c${event.core}` });
    this.spanOn(place, 'prepare (votes)', 'linker', event.proposedNs, event.decidedNs, 1);
    this.spanOn(place, event.committed ? 'commit (acknowledgements)' : 'abort (acknowledgements)', 'linker', event.decidedNs, event.doneNs, 1);
  }

  private closeTask(core: number, endNs: number, args: Args): void {
    const open = this.tasks.get(core);
    if (!open) return;
    this.tasks.delete(core);
    this.spanOn({ core, lane: 'tasks' }, open.name, 'tasks', open.startNs, endNs, 0, args);
  }

  private taskMessage(event: Extract<KernelEvent, { kind: 'task-message' }>): void {
    const flow = this.flow();
    this.record.instant({ place: { node: event.node, lane: 'kernel' }, atNs: event.sentNs, name: `${event.message} sent`, category: 'tasks',
      args: { to: event.to }, flowsOut: [flow] });
    this.record.instant({ place: { node: event.to, lane: 'kernel' }, atNs: event.arrivedNs, name: `${event.message} received`, category: 'tasks',
      args: { from: event.node }, flowIn: flow });
  }
}
