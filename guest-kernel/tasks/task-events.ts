// The tasking protocol's messages and timers: plain data, so the event queue that
// holds them can be kept in a snapshot.

/** A message between the kernels of two nodes. */
export type TaskMessage =
  | { readonly kind: 'create' | 'created'; readonly family: number; readonly position: number; readonly from: number; readonly to: number }
  /** `task` null: the node fetches the page for its own cache, to serve requests parked on it. */
  | { readonly kind: 'page-request' | 'page'; readonly object: number; readonly page: number; readonly from: number;
      readonly to: number; readonly task: number | null }
  | { readonly kind: 'exit' | 'migrate'; readonly task: number; readonly from: number; readonly to: number };

/** Tasking work due at a virtual time (a kernel timer's payload). */
export type TaskEvent =
  | { readonly kind: 'send' | 'arrive'; readonly message: TaskMessage }
  /** A crtc node's remaining set-up, after it sent its children's creations. */
  | { readonly kind: 'init'; readonly family: number; readonly position: number }
  /** A core's task left it: the migrating thread is taken, the core takes the next task. */
  | { readonly kind: 'release'; readonly node: number; readonly core: number; readonly migrating: number | null };
