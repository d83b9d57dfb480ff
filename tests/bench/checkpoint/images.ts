// The benchmark's temporary folder: its images, their sources and the snapshot files,
// removed with everything in it when the benchmark ends.
import { mkdirSync } from 'node:fs';
import { TempDir, type ImageSpec } from '../../support/temp-dir.js';

const dir = new TempDir('clustervm-bench-checkpoint');

export function writeImage(name: string, spec: ImageSpec): string {
  return dir.writeImage(name, spec);
}

/** A new folder in it, for one layout's snapshot files. */
export function snapshotDir(name: string): string {
  const path = dir.join(name);
  mkdirSync(path, { recursive: true });
  return path;
}

export function removeImages(): void {
  dir.cleanup();
}
