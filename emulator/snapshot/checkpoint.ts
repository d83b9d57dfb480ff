import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KernelStateError } from '../../guest-kernel/index.js';
import {
  loadClusterState, MachineStateError, saveClusterState, type Cluster, type ClusterState, type NodeCrash, type Scheduler,
} from '../machine/index.js';
import { applyDelta, diffState } from './delta.js';
import { imageFingerprint } from './fingerprint.js';
import type { RunConsole } from './run-console.js';
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
  /** The console lines the run wrote before it: since its base's, when it has one. */
  readonly console: readonly string[];
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
export function takeSnapshot(cluster: Cluster, scheduler: Scheduler, settings: RunSettings, console: readonly string[] = []): Snapshot {
  let state: ClusterState;
  try {
    state = saveClusterState(cluster, scheduler);
  } catch (error) {
    if (error instanceof MachineStateError || error instanceof KernelStateError) throw new SnapshotError(`cannot take a snapshot: ${error.message}`);
    throw error;
  }
  return {
    image: resolve(settings.image), fingerprint: imageFingerprint(settings.image, cluster), quantum: settings.quantum,
    maxInstructions: settings.maxInstructions, bind: [...settings.bind], virtualNs: clusterNs(cluster), base: null, console, state,
  };
}

/**
 * Reads a snapshot file, and the chain of checkpoints it is the last change of; a
 * SnapshotError names the file and what is wrong with it (or with its base).
 */
export function loadSnapshotFile(path: string): Snapshot {
  const read = readSnapshot(path) as Snapshot;
  if (typeof read.image !== 'string' || typeof read.fingerprint !== 'string' || !read.state) {
    throw new SnapshotError(`${path}: not a cluster snapshot (no image, fingerprint or state)`);
  }
  // Files from before consoles were kept hold none.
  const lines: readonly string[] = Array.isArray(read.console) ? read.console as readonly string[] : [];
  const snapshot = { ...read, console: lines };
  if (snapshot.base === null) return snapshot;
  let base: Snapshot;
  try {
    base = loadSnapshotFile(join(dirname(path), snapshot.base));
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`${path}: holds only changes to ${snapshot.base}, which cannot be used: ${error.message}`);
    throw error;
  }
  if (base.fingerprint !== snapshot.fingerprint) throw new SnapshotError(`${path}: its base ${snapshot.base} is of another build`);
  return { ...snapshot, base: null, console: [...base.console, ...snapshot.console], state: applyDelta(base.state, snapshot.state) as ClusterState };
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
  /** The run goes on from this checkpoint of its own, already loaded, writing the ones after it. */
  readonly resume?: { readonly file: string; readonly snapshot: Snapshot };
  /** Told of each checkpoint written (a run timeline shows them). */
  readonly written?: (file: string, virtualNs: number, whole: boolean) => void;
}

/** Node failures to inject, and where the failures are reported. */
export interface FailurePlan {
  readonly crashes: readonly NodeCrash[];
  /** One line per failure the cluster went back from. */
  readonly report: (line: string) => void;
}

const CHECKPOINT_FILE = /^ckpt-(\d{4,})\.cvmsnap$/;

/** A checkpoint's file name by its number, from 1. */
function checkpointName(number: number): string {
  return `ckpt-${String(number).padStart(4, '0')}.cvmsnap`;
}

/** The directory's last checkpoint (by number), if any: where a run that died goes on from. */
export function lastCheckpoint(dir: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  const numbers = entries.map((name) => CHECKPOINT_FILE.exec(name)?.[1]).filter((n) => n !== undefined).map(Number);
  return numbers.length === 0 ? undefined : join(dir, checkpointName(Math.max(...numbers)));
}

/** Creates the directory, and drops the checkpoints an earlier run left there: its files are this run's. */
function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (CHECKPOINT_FILE.test(name)) unlinkSync(join(dir, name));
  } catch (error) {
    throw new SnapshotError(`--checkpoint-dir ${dir}: cannot use it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** A node failed and no checkpoint from before it was there to go back to. */
export class NodeFailureError extends Error {}

interface Written {
  /** Its place in the run's series, from 1 (the NNNN of its name). */
  readonly number: number;
  readonly file: string;
  readonly virtualNs: number;
  /** Console lines the run had written when it was taken. */
  readonly lines: number;
}

/**
 * Runs the cluster to the end, writing a snapshot each time its virtual time passes a
 * multiple of `everyNs`, at the round boundary where it does: DIR/ckpt-NNNN.cvmsnap.
 * Every `fullEvery`-th is whole, the others hold what changed since the one before.
 * With failures, a node down once noticed sends the cluster back to the last checkpoint
 * before its failure (read from its file), where it rejoins, and the run goes on from
 * there; without such a checkpoint a NodeFailureError says what happened. The console
 * takes the cluster's lines; they are shown once a checkpoint covers them when there
 * are failures. Returns the files written, in order.
 */
export function runWithCheckpoints(cluster: Cluster, scheduler: Scheduler, settings: RunSettings, console: RunConsole,
                                   checkpoints: CheckpointPlan | undefined, failures?: FailurePlan): string[] {
  const fullEvery = checkpoints?.fullEvery ?? FULL_CHECKPOINT_EVERY;
  const resumed = checkpoints?.resume;
  if (checkpoints && !resumed) {
    prepareDirectory(checkpoints.dir);
    // What a snapshot cannot hold is said before the run, not at its first checkpoint.
    takeSnapshot(cluster, scheduler, settings);
  }
  // A resumed run's failures before its checkpoint were over when it was taken (a
  // checkpoint is never taken while a node is down).
  const crashes = failures?.crashes.filter((crash) => !resumed || crash.atNs > resumed.snapshot.virtualNs) ?? [];
  const monitor = failures && new NodeFailures(cluster, crashes);
  const written: Written[] = resumed ? [{
    number: Number(CHECKPOINT_FILE.exec(basename(resumed.file))?.[1] ?? 0), file: resumed.file,
    virtualNs: resumed.snapshot.virtualNs, lines: resumed.snapshot.console.length,
  }] : [];
  let previous: ClusterState | undefined = resumed?.snapshot.state;
  const firstAfter = (ns: number) => checkpoints!.everyNs * (Math.floor(ns / checkpoints!.everyNs) + 1);
  let next = checkpoints ? (resumed ? firstAfter(resumed.snapshot.virtualNs) : checkpoints.everyNs) : Infinity;
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
          console.release();
          throw new NodeFailureError(`${describeFailure(noticed)}; no checkpoint from before it to go back to${checkpoints
            ? ` (the first is due at ${checkpoints.everyNs} ns)` : ': boot --checkpoint-every NS --checkpoint-dir DIR keeps them'}`);
        }
        const snapshot = loadSnapshotFile(back.file);
        restoreSnapshot(cluster, scheduler, snapshot, back.file);
        written.length = written.indexOf(back) + 1;
        previous = snapshot.state;
        next = firstAfter(back.virtualNs);
        console.backTo(back.lines);
        monitor.rejoined();
        failures.report(`${describeFailure(noticed)}; the cluster went back to ${basename(back.file)} (${Math.round(back.virtualNs)} ns), `
          + `where node ${noticed.node} rejoins: ${Math.round(noticed.detectedNs - back.virtualNs)} ns of virtual time run again`);
        continue;
      }
    }
    if (ended) {
      console.release();
      for (const crash of monitor?.neverHappened ?? []) failures!.report(`node ${crash.node} was to fail at ${crash.atNs} ns; the run ended first`);
      return written.map((checkpoint) => checkpoint.file);
    }
    if (!checkpoints || step.kind !== 'round' || clusterNs(cluster) < next) continue;
    next = firstAfter(clusterNs(cluster));
    const number = (written.at(-1)?.number ?? 0) + 1;
    const file = join(checkpoints.dir, checkpointName(number));
    const whole = previous === undefined || (number - 1) % fullEvery === 0;
    const linesBefore = whole ? 0 : written.at(-1)!.lines;
    const snapshot = takeSnapshot(cluster, scheduler, settings, console.since(linesBefore));
    writeSnapshot(file, whole ? snapshot : { ...snapshot, base: basename(written.at(-1)!.file), state: diffState(previous, snapshot.state) });
    previous = snapshot.state;
    written.push({ number, file, virtualNs: snapshot.virtualNs, lines: console.count });
    checkpoints.written?.(file, snapshot.virtualNs, whole);
    console.release();
  }
}
