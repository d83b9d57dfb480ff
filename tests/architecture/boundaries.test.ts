import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/index.js';
import { ScratchCopy, run, type CommandResult } from './scratch-copy.js';

// `make test` runs `npm run boundaries` (dependency-cruiser over architecture.mjs) and
// `npm run lint`; here each check is shown to fail on the mistake it exists for, in a
// scratch copy of the sources, and to pass on the project as it is. The three runs are
// started together before the tests (one after another they were most of the suite's
// time, each a single-threaded process on a machine of two cores or more).

/** `npm run --silent <script> [-- args]` in `cwd`, without blocking this process. */
function npmRun(cwd: string, script: string, ...args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output: `${Buffer.concat(out).toString('utf8')}${Buffer.concat(err).toString('utf8')}` }));
  });
}

const copies: ScratchCopy[] = [];
let project: CommandResult;
let mistakes: CommandResult;
let lint: CommandResult;

beforeAll(async () => {
  const boundaries = new ScratchCopy();
  const lintCopy = new ScratchCopy();
  copies.push(boundaries, lintCopy);
  // An upward import: the lowest folder imports one above it.
  boundaries.write('isa/isa.ts', `import '../linker/index.js';\n${boundaries.read('isa/isa.ts')}`);
  // A cycle between folders: machine imports guest-kernel, so this closes a loop.
  boundaries.write('guest-kernel/uses-machine.ts', "export { Cluster } from '../emulator/machine/index.js';\n");
  // Two modules of one folder that import each other.
  boundaries.write('linker/ping.ts', "import { pong } from './pong.js';\nexport const ping = (): number => pong() + 1;\n");
  boundaries.write('linker/pong.ts', "import { ping } from './ping.js';\nexport const pong = (): number => ping() - 1;\n");
  lintCopy.write('isa/forgotten.ts', 'export function start(work: () => Promise<void>): void {\n  work();\n}\n');
  const copiesChecked = Promise.all([npmRun(boundaries.root, 'boundaries'), npmRun(lintCopy.root, 'lint', 'isa')]);
  // The copies' checks go on in their own processes while this one waits for the project's.
  project = run('npm', ['run', '--silent', 'boundaries'], REPO_ROOT);
  [mistakes, lint] = await copiesChecked;
}, 180_000);
afterAll(() => {
  for (const copy of copies) copy[Symbol.dispose]();
});

describe('folder boundaries', () => {
  it('the project as it is passes', () => {
    expect(project.output).toMatch(/no dependency violations found/);
    expect(project.status).toBe(0);
  });

  describe('in a scratch copy with three mistakes, the check fails and names each', () => {
    it('exits non-zero', () => {
      expect(mistakes.status).not.toBe(0);
    });

    it('an upward import, naming the rule and both files', () => {
      expect(mistakes.output).toContain('error isa imports only itself: isa/isa.ts → linker/index.ts');
    });

    it("a cycle between folders: the lower folder's import is the upward one", () => {
      expect(mistakes.output).toContain(
        'error guest-kernel imports only isa, linker: guest-kernel/uses-machine.ts → emulator/machine/index.ts');
    });

    it('modules of one folder that import each other, as a cycle', () => {
      expect(mistakes.output).toMatch(/error no-cycles: linker\/p[io]ng\.ts → \s*linker\/p[io]ng\.ts →\s*linker\/p[io]ng\.ts/);
    });
  });
});

describe('lint', () => {
  it('a floating promise fails the lint with its file, line and rule', () => {
    expect(lint.status).not.toBe(0);
    expect(lint.output).toMatch(/isa\/forgotten\.ts\s+2:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/s);
  });
});
