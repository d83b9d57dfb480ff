import type { TaskEvent } from './tasks/task-events.js';

/**
 * Kernel work due at a virtual time, as data rather than a closure: the cluster's event
 * queue holds these, so a snapshot can store the queue and a restored run does the
 * same work at the same times. `Kernel.fire` hands each kind to the part of the kernel
 * that set it (a dispatch table, as a syscall table is).
 */
export type KernelTimer =
  /** A core waited in virtual time (a commit's broadcast, an abort's backoff). */
  | { readonly kind: 'wake'; readonly node: number; readonly core: number; readonly atNs: number }
  /** A commit asks for the token; void if the transaction aborted since (its epoch moved on). */
  | { readonly kind: 'dsm-token'; readonly node: number; readonly core: number; readonly epoch: number; readonly requestedNs: number }
  /** A node learnt from a page reply that it missed a commit. */
  | { readonly kind: 'dsm-recover'; readonly node: number }
  | { readonly kind: 'channel-arrival'; readonly channel: number; readonly seq: number; readonly payload: Uint8Array; readonly atNs: number }
  | { readonly kind: 'channel-ack'; readonly channel: number; readonly atNs: number }
  /** Work done with the node's cores held at `atNs` (see HoldPoints). */
  | { readonly kind: 'hold'; readonly node: number; readonly atNs: number; readonly work: HeldWork }
  /** A two-phase commit's proposal reaches a replica, which votes. */
  | { readonly kind: 'agreement-vote'; readonly proposal: number; readonly replica: number }
  /** Remote tasking: a message sent or received, a set-up finished, a core released (tasks/tasks.ts). */
  | { readonly kind: 'task'; readonly atNs: number; readonly event: TaskEvent }
  /** Every replica has acknowledged the decision. */
  | { readonly kind: 'agreement-done'; readonly proposal: number };

export type HeldWork =
  | { readonly kind: 'policy-epoch' }
  | { readonly kind: 'agreement-decide'; readonly proposal: number };
