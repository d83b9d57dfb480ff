/** A range of guest code addresses. */
export interface CodeRange {
  readonly address: number;
  readonly length: number;
}

/** One re-link, as the cores must see it. */
export interface CodeChange {
  /** Code bytes rewritten: every core drops its translations of them before it runs again. */
  readonly rewritten: readonly CodeRange[];
  /**
   * Multi-instruction sequences whose meaning changed: a core stopped strictly inside one
   * resumes at its start, so it never mixes old and new instructions. Each is idempotent
   * (it writes only scratch registers), so running it again from the start is safe.
   */
  readonly restart: readonly CodeRange[];
  /** The symbol whose binding changed (absent at boot), for whoever watches re-links. */
  readonly symbol?: string;
}

/** Reports when every core of the node has dropped the stale translations of a change. */
export interface ChangeTicket {
  readonly done: boolean;
  /** Cores that still have to drop them. */
  readonly pendingCores: readonly number[];
}

/**
 * The linker's view of a node's memory, implemented by the machine. Writes happen at a
 * quantum boundary, when no core is between two instructions.
 */
export interface LinkMemory {
  read(address: number, length: number): Uint8Array;
  write(address: number, bytes: Uint8Array): void;
  publish(change: CodeChange): ChangeTicket;
}
