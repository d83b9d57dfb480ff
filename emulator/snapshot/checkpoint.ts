import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KernelStateError } from '../../guest-kernel/index.js';
import {
  loadClusterState, MachineStateError, saveClusterState, type Cluster, type ClusterState, type NodeCrash, type Scheduler,
} from '../machine/index.js';
import { applyDelta, diffState } from './delta.js';
import { imageFingerprint } from './fingerprint.js';
import type { HeldOutput } from './held-output.js';
import { describeFailure, NodeFailures } from './node-failures.js';
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
export function takeSnapshot(cluster: Cluster, scheduler: Scheduler, settings: RunSettings): Snapshot {
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

/** Where checkpoints go and how often. */
export interface CheckpointPlan {
  readonly everyNs: number;
  readonly dir: string;
  readonly fullEvery?: number;
}

/** Node failures to inject, and where the run's output and its reports go meanwhile. */
export interface FailurePlan {
  readonly crashes: readonly NodeCrash[];
  /** The console, held between checkpoints. */
  readonly output: HeldOutput;
  /** One line per failure the cluster went back from. */
  readonly report: (line: string) => void;
}

/** A node failed and no checkpoint from before it was there to go back to. */
export class NodeFailureError extends Error {}

interface Written {
  readonly file: string;
  readonly virtualNs: number;
}

/**
 * Runs the cluster to the end, writing a snapshot each time its virtual time passes a
 * multiple of `everyNs`, at the round boundary where it does: DIR/ckpt-NNNN.cvmsnap.
 * Every `fullEvery`-th is whole, the others hold what changed since the one before.
 * With failures, a node down once noticed sends the cluster back to the last checkpoint
 * before its failure (read from its file), where it rejoins, and the run goes on from
 * there; without such a checkpoint a NodeFailureError says what happened. Returns the
 * files written, in order.
 */
export function runWithCheckpoints(cluster: Cluster, scheduler: Scheduler, settings: RunSettings,
                                   checkpoints: CheckpointPlan | undefined, failures?: FailurePlan): string[] {
  const fullEvery = checkpoints?.fullEvery ?? FULL_CHECKPOINT_EVERY;
  if (checkpoints) {
    try {
      mkdirSync(checkpoints.dir, { recursive: true });
    } catch (error) {
      throw new SnapshotError(`--checkpoint-dir ${checkpoints.dir}: cannot create it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    // What a snapshot cannot hold is said before the run, not at its first checkpoint.
    takeSnapshot(cluster, scheduler, settings);
  }
  const monitor = failures && new NodeFailures(cluster, failures.crashes);
  const written: Written[] = [];
  let previous: ClusterState | undefined;
  let next = checkpoints?.everyNs ?? Infinity;
  for (;;) {
    const step = scheduler.step(settings.quantum);
    const ended = step.kind === 'done';
    if (monitor && (step.kind === 'round' || ended)) {
      monitor.applyDue();
      const nowNs = clusterNs(cluster);
      const noticed = monitor.noticed(nowNs, ended) ?? (nowNs >= next ? monitor.refusedCheckpoint(nowNs) : undefined);
      if (noticed) {
        const back = written.filter((checkpoint) => checkpoint.virtualNs <= noticed.crashNs).at(-1);
        if (!back) {
          failures.output.release();
          throw new NodeFailureError(`${describeFailure(noticed)}; no checkpoint from before it to go back to${checkpoints
            ? ` (the first is due at ${checkpoints.everyNs} ns)` : ': boot --checkpoint-every NS --checkpoint-dir DIR keeps them'}`);
        }
        const snapshot = loadSnapshotFile(back.file);
        restoreSnapshot(cluster, scheduler, snapshot, back.file);
        written.length = written.indexOf(back) + 1;
        previous = snapshot.state;
        next = checkpoints!.everyNs * (Math.floor(back.virtualNs / checkpoints!.everyNs) + 1);
        failures.output.discard();
        monitor.rejoined();
        failures.report(`${describeFailure(noticed)}; the cluster went back to ${basename(back.file)} (${Math.round(back.virtualNs)} ns), `
          + `where node ${noticed.node} rejoins: ${Math.round(noticed.detectedNs - back.virtualNs)} ns of virtual time run again`);
        continue;
      }
    }
    if (ended) {
      failures?.output.release();
      for (const crash of monitor?.neverHappened ?? []) failures!.report(`node ${crash.node} was to fail at ${crash.atNs} ns; the run ended first`);
      return written.map((checkpoint) => checkpoint.file);
    }
    if (!checkpoints || step.kind !== 'round' || clusterNs(cluster) < next) continue;
    while (next <= clusterNs(cluster)) next += checkpoints.everyNs;
    const file = join(checkpoints.dir, `ckpt-${String(written.length + 1).padStart(4, '0')}.cvmsnap`);
    const snapshot = takeSnapshot(cluster, scheduler, settings);
    const whole = previous === undefined || written.length % fullEvery === 0;
    writeSnapshot(file, whole ? snapshot : { ...snapshot, base: basename(written.at(-1)!.file), state: diffState(previous, snapshot.state) });
    previous = snapshot.state;
    written.push({ file, virtualNs: snapshot.virtualNs });
    failures?.output.release();
  }
}
