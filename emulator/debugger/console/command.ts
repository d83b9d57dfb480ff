import type { DebugSession, StopReason } from '../session.js';

/** What a command sees of the console: the session, an output line sink and the runner. */
export interface ConsoleContext {
  readonly session: DebugSession;
  print(line?: string): void;
  /**
   * Runs the cluster until something stops it or `settled` holds (then undefined),
   * yielding to the event loop between scheduler steps so Ctrl-C can interrupt it.
   */
  run(settled?: () => boolean): Promise<StopReason | undefined>;
  /**
   * Calls `next` until it returns something, yielding to the event loop now and then;
   * Ctrl-C ends it with an interrupt. For commands that step the cluster their own way.
   */
  repeat<T>(next: () => T | undefined): Promise<T | { readonly kind: 'interrupt' }>;
  /** Selects the core a stop concerns and prints why the cluster stopped. */
  report(stop: StopReason): void;
  /** Ends the session after the current command. */
  quit(): void;
}

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line: the command and its arguments, e.g. `step [N]`. */
  readonly usage: string;
  readonly summary: string;
  /** Further lines for `help NAME`. */
  readonly details?: readonly string[];
  /** Whether the command takes a `/FORMAT` suffix, as `x/4x`. */
  readonly takesFormat?: boolean;
  /** Words that may complete argument `index`, given the arguments before it. */
  complete?(context: ConsoleContext, index: number, previous: readonly string[]): readonly string[];
  run(context: ConsoleContext, args: readonly string[], format: string | undefined): void | Promise<void>;
}
