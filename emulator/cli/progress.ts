import type { SchedulerProgress } from '../machine/index.js';

const INTERVAL_MS = 250;

/** A one-line progress display on stderr, only when stderr is a terminal. */
export function progressReporter(stream: NodeJS.WriteStream): { update(p: SchedulerProgress): void; done(): void } | undefined {
  if (!stream.isTTY) return undefined;
  const started = Date.now();
  let last = started;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      shown = true;
      const mips = progress.instructions / ((now - started) * 1000);
      stream.write(`\r\x1b[2K[clustervm] ${progress.instructions.toLocaleString('en-US')} instructions, ${progress.rounds} rounds, ${mips.toFixed(0)} MIPS`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
