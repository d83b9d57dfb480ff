import type { DebugSession, StopReason } from '../session.js';
import type { ConsoleContext } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { coreName } from './format.js';
import { describeStop, stoppedCore } from './stop-report.js';

/** How long a command runs the cluster between two looks at the event loop (Ctrl-C, output). */
const MS_PER_YIELD = 20;

/**
 * Parses and runs console commands against a session. A failing command prints one
 * `error:` line and the session goes on.
 */
export class Shell implements ConsoleContext {
  private interruptRequested = false;
  private quitRequested = false;
  private runningValue = false;

  constructor(readonly session: DebugSession, private readonly write: (text: string) => void) {}

  get prompt(): string {
    return `(${coreName(this.session.selected)}) `;
  }

  /** Whether a command is running the cluster (Ctrl-C interrupts it then). */
  get running(): boolean {
    return this.runningValue;
  }

  get quitting(): boolean {
    return this.quitRequested;
  }

  print(line = ''): void {
    this.write(`${line}\n`);
  }

  quit(): void {
    this.quitRequested = true;
  }

  /** Ctrl-C: a running command stops at the next scheduler step. */
  interrupt(): void {
    this.interruptRequested = true;
  }

  async repeat<T>(next: () => T | undefined): Promise<T | { readonly kind: 'interrupt' }> {
    this.interruptRequested = false;
    this.runningValue = true;
    try {
      for (let until = performance.now() + MS_PER_YIELD; ;) {
        const end = next();
        if (end !== undefined) return end;
        if (this.interruptRequested) return { kind: 'interrupt' };
        if (performance.now() >= until) {
          await new Promise((resolve) => setImmediate(resolve));
          until = performance.now() + MS_PER_YIELD;
        }
      }
    } finally {
      this.runningValue = false;
    }
  }

  async run(settled: () => boolean = () => false): Promise<StopReason | undefined> {
    const end = await this.repeat<StopReason | 'settled'>(() => (settled() ? 'settled' : this.session.continueFor(1)));
    return end === 'settled' ? undefined : end;
  }

  report(stop: StopReason): void {
    const ref = stoppedCore(stop);
    if (ref) this.session.selected = ref;
    // Guest lines still unfinished when the last core stops are shown, as at the end of a boot.
    if (stop.kind === 'exited') this.session.cluster.finish();
    for (const line of describeStop(this.session, stop)) this.print(line);
  }

  /** Runs one command line; blank lines do nothing. */
  async execute(line: string): Promise<void> {
    const words = line.trim().split(/\s+/).filter((word) => word !== '');
    if (words.length === 0) return;
    const [head, ...args] = words as [string, ...string[]];
    const slash = head.indexOf('/');
    const name = slash < 0 ? head : head.slice(0, slash);
    const format = slash < 0 ? undefined : head.slice(slash + 1);
    const command = findCommand(name);
    try {
      if (!command) throw new Error(`unknown command '${name}' (help lists the commands)`);
      if (format !== undefined && !command.takesFormat) throw new Error(`${command.name} takes no /FORMAT`);
      await command.run(this, args, format);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.print(`error: ${message.replace(/\s*\n\s*/g, '; ')}`);
    }
  }

  /** Tab completion: command names first, then what the command offers for the word. */
  complete(line: string): [string[], string] {
    const words = line.trimStart().split(/\s+/);
    const partial = words.pop() ?? '';
    let candidates: readonly string[];
    if (words.length === 0) {
      candidates = COMMANDS.map((command) => command.name);
    } else {
      const command = findCommand(words[0]!.split('/')[0]!);
      try {
        candidates = command?.complete?.(this, words.length - 1, words.slice(1)) ?? [];
      } catch {
        candidates = [];
      }
    }
    return [candidates.filter((word) => word.startsWith(partial)), partial];
  }
}
