/** What the kernel reports to an observer (the debugger's catchpoints). */
export type KernelEvent =
  | { readonly kind: 'dsm-fault'; readonly node: number; readonly core: number; readonly address: number; readonly remote: boolean }
  | { readonly kind: 'commit'; readonly node: number; readonly core: number; readonly pages: readonly number[]; readonly globalTime: number }
  | { readonly kind: 'abort'; readonly node: number; readonly core: number }
  | { readonly kind: 'send' | 'receive'; readonly node: number; readonly core: number; readonly channel: number }
  /** The core at node.core asks for tasks first..first + count - 1 (rfork, rspawn). */
  | { readonly kind: 'task-spawn'; readonly node: number; readonly core: number; readonly first: number; readonly count: number;
      readonly method: string }
  | { readonly kind: 'task-exit'; readonly node: number; readonly core: number; readonly task: number; readonly value: bigint }
  | { readonly kind: 'task-migrate'; readonly node: number; readonly core: number; readonly task: number; readonly to: number };

export type KernelEventSink = (event: KernelEvent) => void;
