/**
 * How much console text `--json` keeps per core: the document is printed once the run
 * ends, so a chatty guest would otherwise hold the host's memory and overflow its
 * strings. Later lines of that core are counted, and one note line says how many were cut.
 */
export const JSON_CONSOLE_BYTES_PER_CORE = 1 << 20;

interface CoreBudget {
  keptBytes: number;
  cutLines: number;
  cutBytes: number;
}

/** Collects console lines (`n<node>.c<core> text`) for the JSON report, bounded per core. */
export class ConsoleCollector {
  private readonly lines: string[] = [];
  private readonly budgets = new Map<string, CoreBudget>();

  readonly add = (line: string): void => {
    const space = line.indexOf(' ');
    const core = space < 0 ? line : line.slice(0, space);
    let budget = this.budgets.get(core);
    if (!budget) this.budgets.set(core, (budget = { keptBytes: 0, cutLines: 0, cutBytes: 0 }));
    const bytes = Buffer.byteLength(line);
    if (budget.cutLines === 0 && budget.keptBytes + bytes <= JSON_CONSOLE_BYTES_PER_CORE) {
      budget.keptBytes += bytes;
      this.lines.push(line);
      return;
    }
    budget.cutLines++;
    budget.cutBytes += bytes + 1;
  };

  /** The kept lines, then one note per core whose lines were cut. */
  *collected(): Generator<string> {
    yield* this.lines;
    for (const [core, budget] of this.budgets) {
      if (budget.cutLines > 0) {
        yield `${core} [console: ${budget.cutLines} more lines (${budget.cutBytes} bytes) cut; --json keeps at most ${JSON_CONSOLE_BYTES_PER_CORE} bytes per core]`;
      }
    }
  }
}
