/**
 * The console lines of a run that keeps checkpoints, in the order the cluster wrote
 * them. Each checkpoint stores the lines written before it, so a run resumed from one
 * (the supervisor's, after an engine crash) prints the whole run's output. With node
 * failures, lines are shown only once a checkpoint covers them (output commit): a run
 * that goes back shows only what it will not compute again.
 */
export class RunConsole {
  private readonly lines: string[] = [];
  private shown = 0;

  constructor(private readonly sink: (line: string) => void, private readonly holding: boolean) {}

  readonly add = (line: string): void => {
    this.lines.push(line);
    if (!this.holding) this.release();
  };

  /** Lines written so far. */
  get count(): number {
    return this.lines.length;
  }

  /** The lines from the `from`th on. */
  since(from: number): string[] {
    return this.lines.slice(from);
  }

  /** Lines a run resumed from a checkpoint wrote before it, shown as they were. */
  resumeWith(lines: readonly string[]): void {
    for (const line of lines) this.lines.push(line);
    this.release();
  }

  /** Shows the lines held: a checkpoint has them, or the run is over. */
  release(): void {
    while (this.shown < this.lines.length) this.sink(this.lines[this.shown++]!);
  }

  /** The cluster went back to a checkpoint taken after `count` lines: the ones since are computed again. */
  backTo(count: number): void {
    this.lines.length = Math.max(count, this.shown);
  }
}
