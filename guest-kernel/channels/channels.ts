import { ISAS } from '../../isa/index.js';
import type { GuestCore, TrapOutcome } from '../guest-core.js';
import type { KernelHost } from '../kernel-host.js';
import {
  CHANNEL_FLAGS, CHANNEL_TABLE_ENTRY_BYTES, MESSAGE_BYTES, PAYLOAD_BYTES, PAYLOAD_OFFSET, RING_HEAD, RING_SLOTS,
  RING_TAIL,
} from './ring-format.js';
import { ChannelStats, type ChannelStatsState } from './channel-stats.js';
import type { KernelEventSink } from '../kernel-events.js';

interface Endpoint {
  readonly node: number;
  readonly core: number;
}

/** A channel as the image declares it, with its ring placed on the receiver's node. */
export interface ChannelSpec {
  readonly id: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly slots: number;
  /** Messages in flight between nodes before the sender is pushed back. */
  readonly window: number;
  /** Address of the ring in the receiver node's RAM. */
  readonly ring: number;
}

/** A ring whose head and tail writes the machine reports to observeWrite (see watchedRings). */
export interface WatchedRing {
  readonly head: number;
  readonly slots: number;
  readonly synchronous: boolean;
}

export interface ChannelLayout {
  readonly table: number;
  readonly channels: readonly ChannelSpec[];
}

interface ChannelState {
  readonly spec: ChannelSpec;
  readonly remote: boolean;
  readonly stats: ChannelStats;
  /** Send time of each message not yet read, by sequence number. */
  readonly sentAt: Map<number, number>;
  /** Remote: messages that arrived at the receiver's node but found its ring full. */
  readonly arrived: { seq: number; payload: Uint8Array }[];
  sent: number;
  /** Cores blocked in SYS_CHAN_WAIT: the sender pushed back, the receiver with nothing to read. */
  waitingSender: GuestCore | undefined;
  waitingReceiver: GuestCore | undefined;
  delivered: number;
  read: number;
  inFlight: number;
  linkFreeAtNs: number;
}

const WORD = 4;

/** A channel between scheduler steps; a core waiting on it is named by node and core. */
export interface ChannelSavedState {
  readonly stats: ChannelStatsState;
  readonly sentAt: readonly (readonly [number, number])[];
  readonly arrived: readonly { readonly seq: number; readonly payload: Uint8Array }[];
  readonly sent: number;
  readonly waitingSender: CoreName | null;
  readonly waitingReceiver: CoreName | null;
  readonly delivered: number;
  readonly read: number;
  readonly inFlight: number;
  readonly linkFreeAtNs: number;
}

interface CoreName {
  readonly node: number;
  readonly core: number;
}

function nameOf(core: GuestCore | undefined): CoreName | null {
  return core ? { node: core.nodeId, core: core.coreId } : null;
}

/**
 * Per-core message channels, URPC style. Within a node, guest code reads and writes the
 * ring directly (no trap); the kernel only watches the ring's writes to count messages
 * and their latency. Between nodes, the sender traps and the kernel carries messages
 * over the interconnect with a window of messages in flight, in order.
 */
export class Channels {
  private readonly states: ChannelState[];

  constructor(readonly layout: ChannelLayout, private readonly host: KernelHost, private readonly emit: KernelEventSink) {
    this.states = layout.channels.map((spec) => ({
      spec, remote: spec.from.node !== spec.to.node, stats: new ChannelStats(), sentAt: new Map(), arrived: [],
      waitingSender: undefined, waitingReceiver: undefined, sent: 0, delivered: 0, read: 0, inFlight: 0, linkFreeAtNs: 0,
    }));
  }

  saveState(): ChannelSavedState[] {
    return this.states.map((state) => ({
      stats: state.stats.saveState(), sentAt: [...state.sentAt],
      arrived: state.arrived.map((message) => ({ seq: message.seq, payload: Uint8Array.from(message.payload) })),
      sent: state.sent, waitingSender: nameOf(state.waitingSender), waitingReceiver: nameOf(state.waitingReceiver),
      delivered: state.delivered, read: state.read, inFlight: state.inFlight, linkFreeAtNs: state.linkFreeAtNs,
    }));
  }

  /** Puts back a saved state; `core` finds a core by node and number. The rings are in node RAM, restored with it. */
  loadState(saved: readonly ChannelSavedState[], core: (node: number, core: number) => GuestCore): void {
    saved.forEach((from, i) => {
      const state = this.states[i]!;
      state.stats.loadState(from.stats);
      state.sentAt.clear();
      for (const [seq, atNs] of from.sentAt) state.sentAt.set(seq, atNs);
      state.arrived.length = 0;
      for (const message of from.arrived) state.arrived.push({ seq: message.seq, payload: Uint8Array.from(message.payload) });
      state.sent = from.sent;
      state.waitingSender = from.waitingSender ? core(from.waitingSender.node, from.waitingSender.core) : undefined;
      state.waitingReceiver = from.waitingReceiver ? core(from.waitingReceiver.node, from.waitingReceiver.core) : undefined;
      state.delivered = from.delivered;
      state.read = from.read;
      state.inFlight = from.inFlight;
      state.linkFreeAtNs = from.linkFreeAtNs;
    });
  }

  /** Writes every node's channel table (once the nodes exist, before any core runs). */
  writeTables(): void {
    for (let node = 0; node < this.host.nodeCount; node++) this.writeTable(node);
  }

  /** A node's table names each channel it takes part in. */
  private writeTable(node: number): void {
    for (const { spec, remote } of this.states) {
      const receives = spec.to.node === node;
      const sends = spec.from.node === node;
      if (!receives && !sends) continue;
      const flags = (remote && sends ? CHANNEL_FLAGS.CHAN_REMOTE : 0) | (receives ? CHANNEL_FLAGS.CHAN_RECEIVER : 0)
        | (sends ? CHANNEL_FLAGS.CHAN_SENDER : 0);
      const entry = new Uint8Array(CHANNEL_TABLE_ENTRY_BYTES);
      const view = new DataView(entry.buffer);
      view.setUint32(0, receives ? spec.ring : 0);
      view.setUint32(4, spec.slots);
      view.setUint32(8, flags);
      this.host.writeNodeMemory(node, this.layout.table + spec.id * CHANNEL_TABLE_ENTRY_BYTES, entry);
    }
  }

  /**
   * The rings on a node whose heads (a send within the node) and tails (a receive) the
   * kernel must see written; payload writes stay free. A ring fed from another node is
   * `synchronous`: a receive there may let the kernel deliver the next message at once.
   */
  watchedRings(node: number): WatchedRing[] {
    return this.states.filter((state) => state.spec.to.node === node)
      .map((state) => ({ head: state.spec.ring + RING_HEAD, slots: state.spec.slots, synchronous: state.remote }));
  }

  /** Where the ring of a node's channel lies, if `address` is in one. */
  private locate(node: number, address: number): { state: ChannelState; offset: number } | undefined {
    for (const state of this.states) {
      const { ring, slots } = state.spec;
      if (state.spec.to.node === node && address >= ring && address < ring + RING_SLOTS + slots * MESSAGE_BYTES) {
        return { state, offset: address - ring };
      }
    }
    return undefined;
  }

  /**
   * A core wrote a ring's head or tail (the guest library at work): count what it did. A
   * guest may write anything there, so the value is checked first; a write no correct
   * sender or receiver makes is a fault of the writing core, and the kernel's work stays
   * bounded by the ring's slots.
   */
  observeWrite(core: GuestCore, address: number, size: number, value: number): TrapOutcome | undefined {
    const found = this.locate(core.nodeId, address);
    if (!found) return undefined;
    const { state, offset } = found;
    const corrupt = (what: string): TrapOutcome => ({ action: 'fault', reason: `channel ${state.spec.id}: corrupt ring: ${what}` });
    const field = address - state.spec.ring < RING_TAIL ? 'head' : 'tail';
    if (size !== WORD || (offset !== RING_HEAD && offset !== RING_TAIL)) {
      return corrupt(`a ${size}-byte write at its ${field} + ${offset % RING_TAIL} (the ${field} is one aligned 32-bit word)`);
    }
    // The machine passes the stored word as the core's registers hold it; the ring's
    // fields are big-endian, so a little-endian core's value reads swapped.
    const written = ISAS[core.isa].littleEndian ? swap32(value) : value >>> 0;
    const now = core.virtualTimeNs();
    if (offset === RING_TAIL) {
      const head = state.remote ? state.delivered : state.sent;
      if (written < state.read) return corrupt(`tail written as ${written}, behind the ${state.read} messages already read`);
      if (written > head) return corrupt(`tail written as ${written}, past the head (${head} messages written)`);
      for (let seq = state.read + 1; seq <= written; seq++) {
        const sentAt = state.sentAt.get(seq);
        state.sentAt.delete(seq);
        state.stats.received(MESSAGE_BYTES, sentAt === undefined ? 0 : Math.max(0, now - sentAt));
      }
      if (written > state.read) this.emit({ kind: 'receive', node: core.nodeId, core: core.coreId, channel: state.spec.id, messages: written - state.read });
      state.read = written;
      if (state.remote) this.deliver(state, now);
      return undefined;
    }
    if (state.remote) return corrupt(`head written as ${written} by a guest: the kernel writes the head of a channel between nodes`);
    if (written < state.sent) return corrupt(`head written as ${written}, behind the ${state.sent} messages already written`);
    if (written - state.read > state.spec.slots) {
      return corrupt(`head written as ${written}, more than its ${state.spec.slots} slots ahead of the tail (${state.read})`);
    }
    for (let seq = state.sent + 1; seq <= written; seq++) {
      state.sentAt.set(seq, now);
      state.stats.sent(MESSAGE_BYTES);
    }
    if (written > state.sent) this.emit({ kind: 'send', node: core.nodeId, core: core.coreId, channel: state.spec.id, messages: written - state.sent });
    state.sent = written;
    return undefined;
  }

  /** SYS_CHAN_SEND between nodes: 1 when the message left, 0 when the window is full. */
  send(core: GuestCore, id: number, payloadAddress: number): { outcome?: TrapOutcome; result: number } {
    const state = this.states[id];
    if (!state) return { outcome: { action: 'fault', reason: `no channel ${id} in the image` }, result: 0 };
    const { from, to } = state.spec;
    if (core.nodeId !== from.node || core.coreId !== from.core) {
      return { outcome: { action: 'fault', reason: `channel ${id} sends from n${from.node}.c${from.core}, not from this core` }, result: 0 };
    }
    if (!state.remote) {
      return { outcome: { action: 'fault', reason: `channel ${id} stays on node ${from.node}: write its ring directly` }, result: 0 };
    }
    if (state.inFlight >= state.spec.window) {
      state.stats.stall();
      return { result: 0 };
    }
    let payload: Uint8Array;
    try {
      payload = Uint8Array.from(core.readMemory(payloadAddress, PAYLOAD_BYTES));
    } catch {
      return { outcome: { action: 'fault', reason: `channel ${id}: message buffer 0x${payloadAddress.toString(16)} is not readable` }, result: 0 };
    }
    const now = core.virtualTimeNs();
    const seq = ++state.sent;
    state.sentAt.set(seq, now);
    state.stats.sent(MESSAGE_BYTES);
    state.inFlight += 1;
    this.emit({ kind: 'send', node: core.nodeId, core: core.coreId, channel: id, messages: 1 });
    // Messages go out back to back: the next one leaves once this one is on the wire,
    // not once it is acknowledged (a window, not stop-and-wait).
    const departNs = Math.max(now, state.linkFreeAtNs);
    const wireNs = this.host.messageNs(from.node, to.node, MESSAGE_BYTES) - this.host.messageNs(from.node, to.node, 0);
    state.linkFreeAtNs = departNs + wireNs;
    const arriveNs = departNs + this.host.messageNs(from.node, to.node, MESSAGE_BYTES);
    this.host.schedule(arriveNs, { kind: 'channel-arrival', channel: id, seq, payload, atNs: arriveNs });
    return { result: 1 };
  }

  /**
   * SYS_CHAN_WAIT: the caller found the channel full (sender) or empty (receiver). Across
   * nodes it sleeps until an acknowledgement or a message arrives, in virtual time;
   * within a node it gives up its quantum.
   */
  wait(core: GuestCore, id: number): TrapOutcome {
    const state = this.states[id];
    if (!state) return { action: 'fault', reason: `no channel ${id} in the image` };
    const { from, to } = state.spec;
    const sender = core.nodeId === from.node && core.coreId === from.core;
    const receiver = core.nodeId === to.node && core.coreId === to.core;
    if (sender) state.stats.stall();
    if (!state.remote) return { action: 'yield' };
    const ready = receiver ? state.delivered > state.read : state.inFlight < state.spec.window;
    if (ready || (!sender && !receiver)) return { action: 'yield' };
    if (receiver) state.waitingReceiver = core;
    else state.waitingSender = core;
    return { action: 'block' };
  }

  /** A message reached the receiver's node: into its ring, if there is room. */
  arrive(channel: number, seq: number, payload: Uint8Array, atNs: number): void {
    const state = this.states[channel]!;
    state.arrived.push({ seq, payload });
    this.deliver(state, atNs);
  }

  /** The receiver's acknowledgement reached the sender: a window slot is free again. */
  acknowledged(channel: number, atNs: number): void {
    const state = this.states[channel]!;
    state.inFlight -= 1;
    this.wake(state.waitingSender, atNs);
    state.waitingSender = undefined;
  }

  private wake(core: GuestCore | undefined, atNs: number): void {
    if (!core) return;
    core.sleepUntil(atNs);
    core.wake(atNs);
  }

  /** Moves arrived messages into the receiver's ring while it has room; each one is acknowledged. */
  private deliver(state: ChannelState, nowNs: number): void {
    const { spec } = state;
    while (state.arrived.length > 0 && state.delivered - state.read < spec.slots) {
      const { seq, payload } = state.arrived.shift()!;
      const slot = spec.ring + RING_SLOTS + ((seq - 1) % spec.slots) * MESSAGE_BYTES;
      const message = new Uint8Array(MESSAGE_BYTES);
      new DataView(message.buffer).setUint32(0, seq);
      message.set(payload, PAYLOAD_OFFSET);
      this.host.writeNodeMemory(spec.to.node, slot, message);
      const head = new Uint8Array(WORD);
      new DataView(head.buffer).setUint32(0, seq);
      this.host.writeNodeMemory(spec.to.node, spec.ring + RING_HEAD, head);
      state.delivered = seq;
      const ackNs = nowNs + this.host.messageNs(spec.to.node, spec.from.node, 16);
      this.host.schedule(ackNs, { kind: 'channel-ack', channel: spec.id, atNs: ackNs });
    }
    if (state.delivered > state.read) {
      this.wake(state.waitingReceiver, nowNs);
      state.waitingReceiver = undefined;
    }
  }

  report(): { spec: ChannelSpec; remote: boolean; stats: ChannelStats }[] {
    return this.states.map(({ spec, remote, stats }) => ({ spec, remote, stats }));
  }
}

function swap32(value: number): number {
  const v = value >>> 0;
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
