import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../architecture.mjs';
import { REPO_ROOT } from '../support/index.js';

// The prose must say what the import check enforces: each folder's README.md states
// what it may import, and the project README's architecture list says the same.

const TOP_LEVEL = ['isa', 'linker', 'firmware', 'guest-kernel', 'emulator', 'images', 'tests'];
const CODE_FOLDERS = ['isa', 'linker', 'firmware', 'guest-kernel', 'emulator'];

function read(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

/** The folders a "May import:" line lists; `nothing` lists none. */
function listed(line: string): string[] {
  const list = line.replace(/^.*?may import:?\s*/i, '').replace(/[).:]+$/, '').trim();
  return list === 'nothing' ? [] : list.split(/,\s*/).map((folder) => folder.replace(/`/g, '').replace(/\/$/, ''));
}

describe('READMEs agree with architecture.mjs', () => {
  it.each(TOP_LEVEL)('%s/ opens with a README.md', (folder) => {
    expect(existsSync(join(REPO_ROOT, folder, 'README.md'))).toBe(true);
  });

  it.each(CODE_FOLDERS)('%s/ exposes an index.ts', (folder) => {
    expect(existsSync(join(REPO_ROOT, folder, 'index.ts'))).toBe(true);
  });

  it.each(LAYERS.map((layer) => [layer.folder, layer.mayImport] as const))(
    '%s/README.md says what it may import', (folder, mayImport) => {
      const lines = read(`${folder}/README.md`).split('\n').filter((line) => /^May import:/.test(line));
      expect(lines).toHaveLength(1);
      expect(listed(lines[0]!)).toEqual([...mayImport]);
    });

  it('the project README lists every folder with what it may import', () => {
    const readme = read('README.md');
    const architecture = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Benchmarks'));
    const entries = new Map([...architecture.matchAll(/^\s*- \*\*`([\w/-]+)\/`\*\* \(may import ([^)]*)\)/gm)]
      .map((m) => [m[1]!, listed(`may import ${m[2]!}`)]));
    expect(Object.fromEntries(entries)).toEqual(
      Object.fromEntries(LAYERS.map((layer) => [layer.folder, [...layer.mayImport]])));
  });
});

it('no tracked file points outside the project for its design', () => {
  const outside = ['DESIGN', '.md'].join('');
  const shared = ['..', 'shared'].join('/');
  const grep = spawnSync('git', ['grep', '-l', '-F', '-e', outside, '-e', shared], { cwd: REPO_ROOT, encoding: 'utf8' });
  // git grep exits 1 when nothing matches.
  expect({ status: grep.status, files: grep.stdout.split('\n').filter(Boolean) }).toEqual({ status: 1, files: [] });
});
