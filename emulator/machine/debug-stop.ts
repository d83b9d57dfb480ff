/** Why a core stopped for the debugger. */
export type DebugStop =
  | { readonly kind: 'breakpoint'; readonly address: number }
  | { readonly kind: 'watchpoint'; readonly id: number; readonly address: number; readonly size: number; readonly write: boolean }
  /** The debugger asked a running core to stop where it is (a caught kernel event). */
  | { readonly kind: 'event' };
