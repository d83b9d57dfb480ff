// Shipped images, mutated: a deleted field, a value of the wrong type or range, a
// misspelt or unknown key. Each either loads or is refused with one ImageError line
// that names the image; nothing else may escape. A sample of the refused ones goes
// through the CLI too: one line on stderr, exit 2.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError, loadImage, loadToolchain, type Toolchain } from '../../emulator/index.js';
import { REPO_ROOT, TempDir, expectSingleErrorLine, runCli } from '../support/index.js';
import { SeededRandom } from './seeded-random.js';

const BASE_IMAGES = [
  'hello-x86.json', 'hello-sparc.json', 'default.json', 'channels.json', 'dsm-counter.json', 'false-sharing.json', 'flink.json',
];
const MUTANTS = 200;
const CLI_SAMPLE = 6;
const SEED = 0x2001;
const ODD_VALUES: readonly unknown[] = [
  null, -1, 0, 1.5, 64, 65, 256, 4096, 100_000, 1e12, 2 ** 53, 'x', '', true, [], {}, 'all', 'sparc128', 'immediate', [0, 1], { from: 0 },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

/** Every (container, key) pair inside a JSON value. */
function slots(value: Json): [Container, string | number][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string | number, Json>)[key]!;
    return [[value, key] as [Container, string | number], ...slots(child)];
  });
}

function mutate(image: Json, random: SeededRandom): string {
  const [container, key] = random.pick(slots(image));
  const record = container as Record<string | number, Json>;
  switch (random.below(4)) {
    case 0:
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete record[key];
      return `delete ${key}`;
    case 1:
      record[key] = structuredClone(random.pick(ODD_VALUES)) as Json;
      return `${key} = ${JSON.stringify(record[key])}`;
    case 2: {
      if (Array.isArray(container)) {
        container.push(structuredClone(container[key as number]!));
        return `duplicate [${key}]`;
      }
      const name = String(key);
      const misspelt = name.length > 1 ? name.slice(0, -1) : `${name}x`;
      record[misspelt] = record[key]!;
      delete record[key];
      return `rename ${name} -> ${misspelt}`;
    }
    default:
      if (Array.isArray(container)) {
        container.length = 0;
        return 'empty array';
      }
      record.unexpected = 1;
      return 'add unexpected';
  }
}

describe('mutated images', () => {
  const dir = new TempDir();
  let toolchain: Toolchain;
  const refused: string[] = [];
  beforeAll(async () => {
    cpSync(join(REPO_ROOT, 'images'), join(dir.path, 'images'), { recursive: true });
    toolchain = await loadToolchain();
  });
  afterAll(() => dir.cleanup());

  it(`${MUTANTS} mutants each load or are refused with one ImageError line naming the image`, () => {
    const random = new SeededRandom(SEED);
    let loaded = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const base = random.pick(BASE_IMAGES);
      const image = JSON.parse(readFileSync(join(REPO_ROOT, 'images', base), 'utf8')) as Json;
      const what = [mutate(image, random), ...(random.below(2) ? [mutate(image, random)] : [])].join('; ');
      const path = join(dir.path, 'images', `mutant-${i}.json`);
      writeFileSync(path, JSON.stringify(image));
      const label = `mutant ${i} of ${base}: ${what}`;
      try {
        loadImage(path, toolchain);
        loaded++;
      } catch (error) {
        expect(error, label).toBeInstanceOf(ImageError);
        const message = (error as ImageError).message;
        expect(message, label).not.toContain('\n');
        // An image mistake names the image; a program's names its source and line.
        expect(message.startsWith(`${path}: `) || /^\S+\.s:\d+: /.test(message), `${label}: ${message}`).toBe(true);
        refused.push(path);
      }
    }
    // Both outcomes occur, so the mutations reach past the schema and into it.
    expect(loaded).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(MUTANTS / 4);
  });

  it(`a sample of ${CLI_SAMPLE} refused mutants: one line on stderr, exit 2, through the CLI`, async () => {
    const sample = refused.filter((_, i) => i % Math.floor(refused.length / CLI_SAMPLE) === 0).slice(0, CLI_SAMPLE);
    expect(sample).toHaveLength(CLI_SAMPLE);
    const runs = await Promise.all(sample.map((path) => runCli(['boot', path])));
    for (const run of runs) expect(expectSingleErrorLine(run)).toContain('mutant-');
  });
});
