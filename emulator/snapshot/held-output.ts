/**
 * Console lines held until a checkpoint covers them (output commit): a run that may go
 * back to its last checkpoint shows only what it will not compute again, so its output
 * is the output of a run without the failure.
 */
export class HeldOutput {
  private readonly held: string[] = [];

  constructor(private readonly sink: (line: string) => void) {}

  readonly add = (line: string): void => {
    this.held.push(line);
  };

  /** Shows the lines held: a checkpoint has them, or the run is over. */
  release(): void {
    for (const line of this.held.splice(0)) this.sink(line);
  }

  /** Forgets the lines since the last checkpoint: the cluster went back to it and computes them again. */
  discard(): void {
    this.held.length = 0;
  }
}
