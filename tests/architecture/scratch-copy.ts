import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/index.js';

/** The folders and files the project's checks read; tests/ stays out to keep copies small. */
const COPIED = [
  'isa', 'emulator', 'linker', 'guest-kernel', 'firmware',
  'architecture.mjs', '.dependency-cruiser.mjs', 'eslint.config.js', 'tsconfig.json', 'package.json', 'knip.json',
];

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * A copy of the project's sources in a temporary folder, sharing node_modules, where a
 * test may break the code and run the project's own checks on it.
 */
export class ScratchCopy implements Disposable {
  readonly root = mkdtempSync(join(tmpdir(), 'clustervm-scratch-'));

  constructor() {
    for (const entry of COPIED) cpSync(join(REPO_ROOT, entry), join(this.root, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'), 'dir');
    // The copy has no tests/: type-check and lint what it holds.
    const tsconfig = JSON.parse(readFileSync(join(this.root, 'tsconfig.json'), 'utf8')) as { include: string[] };
    tsconfig.include = tsconfig.include.filter((entry) => entry !== 'tests' && entry !== 'images' && entry !== 'vitest.config.ts');
    writeFileSync(join(this.root, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  write(path: string, text: string): void {
    writeFileSync(join(this.root, path), text);
  }

  /** Runs `npm run <script>` in the copy, as `make` does in the project. */
  npmRun(script: string, ...args: string[]): CommandResult {
    return run('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], this.root);
  }

  [Symbol.dispose](): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function run(command: string, args: readonly string[], cwd: string): CommandResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
