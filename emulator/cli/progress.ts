import type { Cluster, SchedulerProgress } from '../machine/index.js';

const INTERVAL_MS = 250;

/** What the line shows. */
function progressText(cluster: Cluster, progress: SchedulerProgress, elapsedMs: number): string {
  const cores = cluster.cores;
  const virtualNs = Math.max(...cores.map((core) => core.clock.ns));
  const running = cores.filter((core) => core.isRunnable).length;
  const ips = elapsedMs > 0 ? (progress.instructions * 1000) / elapsedMs : 0;
  return `[clustervm] virtual ${(virtualNs / 1e6).toFixed(3)} ms, ${progress.instructions.toLocaleString('en-US')} instructions `
    + `(${(ips / 1e6).toFixed(1)} M/s), ${running} of ${cores.length} cores running`;
}

/**
 * A one-line progress display on stderr, only when stderr is a terminal and the output
 * is not --json: the virtual time reached, instructions per host second and the cores
 * that can run. It is redrawn at most every 250 ms and erased when the run ends.
 */
export function progressReporter(stream: NodeJS.WriteStream, cluster: Cluster, json: boolean):
  { update(p: SchedulerProgress): void; done(): void } | undefined {
  if (!stream.isTTY || json) return undefined;
  const started = Date.now();
  let last = started;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${progressText(cluster, progress, now - started)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
