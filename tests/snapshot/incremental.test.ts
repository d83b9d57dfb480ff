// Incremental checkpoints: between two whole ones, a checkpoint stores only the pages
// that changed since the one before (node RAM, DSM copies and page tables). Reading
// one applies the chain from the last whole checkpoint, and gives exactly the state a
// whole checkpoint at that point holds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { bootImage } from '../../emulator/index.js';
import { loadSnapshotFile, RunConsole, runWithCheckpoints, SnapshotError } from '../../emulator/snapshot/index.js';
import { TempDir } from '../support/index.js';

const dir = new TempDir('clustervm-incremental');
afterAll(() => dir.cleanup());

const IMAGE = 'images/dsm-counter.json';
const EVERY_NS = 8_000_000;

async function checkpoint(into: string, fullEvery: number): Promise<string[]> {
  const lines = new RunConsole(() => {}, false);
  const cluster = await bootImage(IMAGE, { maxInstructions: 50_000_000, console: lines.add });
  try {
    const settings = { image: IMAGE, quantum: 10_000, maxInstructions: 50_000_000, bind: new Map<string, string>() };
    return runWithCheckpoints(cluster, cluster.scheduler(), settings, lines, { everyNs: EVERY_NS, dir: dir.join(into), fullEvery });
  } finally {
    cluster.close();
  }
}

/** A digest of a state: its plain data and every byte array's bytes, in order. */
function digest(value: unknown): string {
  const hash = createHash('sha256');
  const walk = (item: unknown): void => {
    if (item instanceof Uint8Array) hash.update(`bytes ${item.length}:`).update(item);
    else if (Array.isArray(item)) { hash.update('['); item.forEach(walk); hash.update(']'); }
    else if (item !== null && typeof item === 'object') {
      for (const [key, inner] of Object.entries(item)) { hash.update(`${key}=`); walk(inner); }
    } else hash.update(`${typeof item}:${String(item)};`);
  };
  walk(value);
  return hash.digest('hex');
}

describe('incremental checkpoints', () => {
  it('read back as the whole checkpoint at the same point, at a fraction of its size', async () => {
    const chained = await checkpoint('chained', 3);
    const whole = await checkpoint('whole', 1);
    expect(chained.length).toBeGreaterThanOrEqual(6);
    expect(chained.map((file) => file.split('/').at(-1))).toEqual(whole.map((file) => file.split('/').at(-1)));
    for (const i of [1, 2, 3, 4]) {
      expect(digest(loadSnapshotFile(chained[i]!).state), chained[i]).toBe(digest(loadSnapshotFile(whole[i]!).state));
    }
    const size = (file: string) => statSync(file).size;
    // Whole: 1st, 4th, 7th ...; the ones between hold a commit's pages, not 4 nodes' RAM and 8 DSM copies.
    expect(size(chained[0]!)).toBe(size(whole[0]!));
    expect(size(chained[3]!)).toBe(size(whole[3]!));
    for (const i of [1, 2, 4, 5]) expect(size(chained[i]!) * 10, chained[i]).toBeLessThan(size(whole[i]!));
    expect(readdirSync(dir.join('chained')).every((name) => /^ckpt-\d{4}\.cvmsnap$/.test(name))).toBe(true);
  });

  it('names the base a checkpoint needs when the base is broken', async () => {
    const files = await checkpoint('broken', 8);
    const bytes = readFileSync(files[0]!);
    bytes[bytes.length - 5]! ^= 0xff;
    writeFileSync(files[0]!, bytes);
    expect(() => loadSnapshotFile(files[2]!)).toThrow(SnapshotError);
    expect(() => loadSnapshotFile(files[2]!)).toThrow(/ckpt-0003\.cvmsnap: holds only changes to ckpt-0002\.cvmsnap, which cannot be used: .*ckpt-0002\.cvmsnap: holds only changes to ckpt-0001\.cvmsnap, which cannot be used: .*ckpt-0001\.cvmsnap: checksum mismatch: the snapshot is corrupted$/);
  });
});
