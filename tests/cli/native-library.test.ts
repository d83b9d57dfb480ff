// A clone whose native library was never built (`make native`) must say so in one line,
// not with koffi's stack trace. The clone is a copy of the project's sources beside the
// real node_modules, with no build/ folder.
import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, TempDir } from '../support/index.js';

const clone = new TempDir('clustervm-unbuilt');
afterAll(() => clone.cleanup());

const SOURCES = ['emulator', 'firmware', 'guest-kernel', 'images', 'isa', 'linker', 'package.json', 'tsconfig.json'];

describe('clustervm without its native library', () => {
  it('boot names the missing library and `make native` in one line, exit code 1', () => {
    for (const entry of SOURCES) cpSync(join(REPO_ROOT, entry), join(clone.path, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone.path, 'node_modules'));
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, ['emulator/cli/clustervm.mjs', 'boot', 'images/default.json'],
      { cwd: clone.path, env, encoding: 'utf8', timeout: 50_000 });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`clustervm: clustervm's native library ${join(clone.path, 'build/libclustervm-fast-path.so')} `
      + 'is missing: build it with `make native`\n');
    expect(run.status).toBe(1);
  }, 60_000);
});
