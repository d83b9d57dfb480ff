/**
 * What the kernel reports to an observer: the debugger's catchpoints and the run
 * timeline. Times are virtual ns; an event without one happens at its core's clock.
 */
export type KernelEvent =
  /** `transfer`: the page came over the network, sent by its owner at sentNs, in the core at arrivedNs. */
  | { readonly kind: 'dsm-fault'; readonly node: number; readonly core: number; readonly address: number; readonly remote: boolean;
      readonly transfer?: { readonly owner: number; readonly sentNs: number; readonly arrivedNs: number } }
  /** The outermost begin of a transaction (a nested begin only counts). */
  | { readonly kind: 'tx-begin'; readonly node: number; readonly core: number }
  /** A commit with writes asks for the token; one without writes ends at once (`tx-read-only`). */
  | { readonly kind: 'tx-commit-request' | 'tx-read-only'; readonly node: number; readonly core: number }
  /** The token came at grantNs; every other node had the broadcast by doneNs (`deliveries`: when each did). */
  | { readonly kind: 'commit'; readonly node: number; readonly core: number; readonly pages: readonly number[]; readonly globalTime: number;
      readonly grantNs: number; readonly doneNs: number; readonly deliveries: readonly { readonly node: number; readonly atNs: number }[] }
  /** The transaction rolled back at atNs and runs again (its `restart`th time) once its backoff ends at wakeNs. */
  | { readonly kind: 'abort'; readonly node: number; readonly core: number; readonly atNs: number; readonly wakeNs: number;
      readonly restart: number; readonly cause: AbortCause }
  /** One ring write can send or take several messages. */
  | { readonly kind: 'send' | 'receive'; readonly node: number; readonly core: number; readonly channel: number; readonly messages: number }
  /** A re-link's two-phase commit ended: proposed, decided (votes in), every replica acknowledged. */
  | { readonly kind: 'relink-agreed'; readonly node: number; readonly core: number; readonly symbol: string; readonly module: string;
      readonly committed: boolean; readonly votesYes: number; readonly votes: number;
      readonly proposedNs: number; readonly decidedNs: number; readonly doneNs: number }
  /** The core at node.core asks for tasks first..first + count - 1 (rfork, rspawn). */
  | { readonly kind: 'task-spawn'; readonly node: number; readonly core: number; readonly first: number; readonly count: number;
      readonly method: string }
  /** A task begins (or, migrated, goes on) on the core at atNs. */
  | { readonly kind: 'task-start'; readonly node: number; readonly core: number; readonly task: number; readonly migrated: boolean;
      readonly atNs: number }
  | { readonly kind: 'task-exit'; readonly node: number; readonly core: number; readonly task: number; readonly value: bigint }
  | { readonly kind: 'task-migrate'; readonly node: number; readonly core: number; readonly task: number; readonly to: number }
  /** A tasking message between two nodes' kernels (no core sends it), from sentNs to arrivedNs. */
  | { readonly kind: 'task-message'; readonly node: number; readonly to: number; readonly message: string;
      readonly sentNs: number; readonly arrivedNs: number };

export type AbortCause = 'true sharing' | 'false sharing' | 'missed commit';

export type KernelEventSink = (event: KernelEvent) => void;
