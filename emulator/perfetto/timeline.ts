// What a run did, in virtual ns, as the Perfetto writer and the HTML report lay it out.

/** A core's state over [startNs, endNs). */
export interface StateSlice {
  readonly core: number;
  readonly state: string;
  readonly startNs: number;
  endNs: number;
}

/**
 * Where an event is drawn: a core's lanes (its states, its transactions, its tasks), a
 * node kernel's own track (what no core does: pages served, tasking messages, commits
 * arriving), a node's re-link rows, or the cluster's checkpoints.
 */
export type Place =
  | { readonly core: number; readonly lane: 'state' | 'transactions' | 'tasks' }
  | { readonly node: number; readonly lane: 'kernel' }
  | { readonly node: number; readonly lane: 're-links'; readonly row: number }
  | { readonly lane: 'checkpoints' };

export type Args = Readonly<Record<string, number | string>>;

/** A slice other than a core state: `depth` 1 nests inside the depth-0 slice around it. */
export interface Span {
  readonly place: Place;
  readonly name: string;
  readonly category: string;
  readonly startNs: number;
  readonly endNs: number;
  readonly depth: number;
  readonly args: Args;
}

export interface Instant {
  readonly place: Place;
  readonly atNs: number;
  readonly name: string;
  readonly category: string;
  readonly args: Args;
  /** Flows this event starts (a message sent, a commit broadcast) or ends (its receipt). */
  readonly flowsOut?: readonly number[];
  readonly flowIn?: number;
}

/** A counter's value from atNs on; `node` for the per-node ones. */
export interface CounterSample {
  readonly counter: 'global time' | 'messages in flight' | 'pages held';
  readonly node?: number;
  readonly atNs: number;
  readonly value: number;
}

export interface Timeline {
  readonly nodes: readonly { readonly node: number; readonly isa: string; readonly cores: number }[];
  /** Every core in node and core order; `core` fields index it. */
  readonly cores: readonly { readonly node: number; readonly core: number }[];
  readonly slices: readonly StateSlice[];
  readonly spans: readonly Span[];
  readonly instants: readonly Instant[];
  readonly counters: readonly CounterSample[];
  /** The virtual time recording stopped at when the event limit was reached. */
  readonly truncatedAtNs: number | undefined;
}
