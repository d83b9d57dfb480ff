import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KernelStateError } from '../../guest-kernel/index.js';
import {
  loadClusterState, MachineStateError, saveClusterState, type Cluster, type ClusterState, type Scheduler,
} from '../machine/index.js';
import { applyDelta, diffState } from './delta.js';
import { imageFingerprint } from './fingerprint.js';
import { SnapshotError } from './snapshot-error.js';
import { readSnapshot, writeSnapshot } from './snapshot-file.js';

/** A snapshot file's contents: what it was taken of, and the state. */
export interface Snapshot {
  /** The image as given when the run began, made absolute. */
  readonly image: string;
  readonly fingerprint: string;
  readonly quantum: number;
  readonly maxInstructions: number;
  /** The --bind choices of the run, which the image needs again. */
  readonly bind: readonly (readonly [string, string])[];
  /** Virtual time of the cluster (its furthest core) when it was taken. */
  readonly virtualNs: number;
  /**
   * The checkpoint before it, in the same directory, when this one holds only what
   * changed since (`state` is then a delta of that one's, see delta.ts); null when whole.
   */
  readonly base: string | null;
  readonly state: ClusterState;
}

/** Every how many checkpoints one is written whole: a restore reads at most this many files. */
const FULL_CHECKPOINT_EVERY = 8;

export interface RunSettings {
  readonly image: string;
  readonly quantum: number;
  readonly maxInstructions: number;
  readonly bind: ReadonlyMap<string, string>;
}

/** The cluster's virtual time: its furthest core's clock. */
function clusterNs(cluster: Cluster): number {
  return Math.max(0, ...cluster.cores.map((core) => core.clock.ns));
}

/** Takes a snapshot of the cluster between scheduler steps; a SnapshotError says what it cannot hold. */
function takeSnapshot(cluster: Cluster, scheduler: Scheduler, settings: RunSettings): Snapshot {
  let state: ClusterState;
  try {
    state = saveClusterState(cluster, scheduler);
  } catch (error) {
    if (error instanceof MachineStateError || error instanceof KernelStateError) throw new SnapshotError(`cannot take a snapshot: ${error.message}`);
    throw error;
  }
  return {
    image: resolve(settings.image), fingerprint: imageFingerprint(settings.image, cluster), quantum: settings.quantum,
    maxInstructions: settings.maxInstructions, bind: [...settings.bind], virtualNs: clusterNs(cluster), base: null, state,
  };
}

/**
 * Reads a snapshot file, and the chain of checkpoints it is the last change of; a
 * SnapshotError names the file and what is wrong with it (or with its base).
 */
export function loadSnapshotFile(path: string): Snapshot {
  const snapshot = readSnapshot(path) as Snapshot;
  if (typeof snapshot.image !== 'string' || typeof snapshot.fingerprint !== 'string' || !snapshot.state) {
    throw new SnapshotError(`${path}: not a cluster snapshot (no image, fingerprint or state)`);
  }
  if (snapshot.base === null) return snapshot;
  let base: Snapshot;
  try {
    base = loadSnapshotFile(join(dirname(path), snapshot.base));
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`${path}: holds only changes to ${snapshot.base}, which cannot be used: ${error.message}`);
    throw error;
  }
  if (base.fingerprint !== snapshot.fingerprint) throw new SnapshotError(`${path}: its base ${snapshot.base} is of another build`);
  return { ...snapshot, base: null, state: applyDelta(base.state, snapshot.state) as ClusterState };
}

/** Puts a snapshot back on a cluster freshly booted from its image, refusing one of another image. */
export function restoreSnapshot(cluster: Cluster, scheduler: Scheduler, snapshot: Snapshot, path: string): void {
  const fingerprint = imageFingerprint(snapshot.image, cluster);
  if (fingerprint !== snapshot.fingerprint) {
    throw new SnapshotError(`${path}: taken of another build of ${snapshot.image} (fingerprint ${snapshot.fingerprint.slice(0, 12)}, `
      + `the image now gives ${fingerprint.slice(0, 12)}): its image or sources changed`);
  }
  loadClusterState(cluster, scheduler, snapshot.state);
}

/**
 * Runs the cluster to the end, writing a snapshot each time its virtual time passes a
 * multiple of `everyNs`, at the round boundary where it does: DIR/ckpt-NNNN.cvmsnap.
 * Every `fullEvery`-th is whole, the others hold what changed since the one before.
 * Returns the files written, in order.
 */
export function runWithCheckpoints(cluster: Cluster, scheduler: Scheduler, settings: RunSettings,
                                   checkpoints: { readonly everyNs: number; readonly dir: string; readonly fullEvery?: number }): string[] {
  const fullEvery = checkpoints.fullEvery ?? FULL_CHECKPOINT_EVERY;
  try {
    mkdirSync(checkpoints.dir, { recursive: true });
  } catch (error) {
    throw new SnapshotError(`--checkpoint-dir ${checkpoints.dir}: cannot create it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // What a snapshot cannot hold is said before the run, not at its first checkpoint.
  takeSnapshot(cluster, scheduler, settings);
  const written: string[] = [];
  let previous: ClusterState | undefined;
  let next = checkpoints.everyNs;
  for (;;) {
    const step = scheduler.step(settings.quantum);
    if (step.kind === 'done') return written;
    if (step.kind !== 'round' || clusterNs(cluster) < next) continue;
    while (next <= clusterNs(cluster)) next += checkpoints.everyNs;
    const file = join(checkpoints.dir, `ckpt-${String(written.length + 1).padStart(4, '0')}.cvmsnap`);
    const snapshot = takeSnapshot(cluster, scheduler, settings);
    const whole = previous === undefined || written.length % fullEvery === 0;
    writeSnapshot(file, whole ? snapshot : { ...snapshot, base: basename(written.at(-1)!), state: diffState(previous, snapshot.state) });
    previous = snapshot.state;
    written.push(file);
  }
}
