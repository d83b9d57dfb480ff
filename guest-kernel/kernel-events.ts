/** What the kernel reports to an observer (the debugger's catchpoints). */
export type KernelEvent =
  | { readonly kind: 'dsm-fault'; readonly node: number; readonly core: number; readonly address: number; readonly remote: boolean }
  | { readonly kind: 'commit'; readonly node: number; readonly core: number; readonly pages: readonly number[]; readonly globalTime: number }
  | { readonly kind: 'abort'; readonly node: number; readonly core: number }
  | { readonly kind: 'send' | 'receive'; readonly node: number; readonly core: number; readonly channel: number };

export type KernelEventSink = (event: KernelEvent) => void;
