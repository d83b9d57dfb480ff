import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/index.js';
import { ScratchCopy, run, type CommandResult } from './scratch-copy.js';

// `make test` runs `npm run boundaries` (dependency-cruiser over architecture.mjs) and
// `npm run lint`; here each check is shown to fail on the mistake it exists for, in a
// scratch copy of the sources, and to pass on the project as it is.

describe('folder boundaries', () => {
  it('the project as it is passes', () => {
    const result = run('npm', ['run', '--silent', 'boundaries'], REPO_ROOT);
    expect(result.output).toMatch(/no dependency violations found/);
    expect(result.status).toBe(0);
  });

  describe('in a scratch copy with three mistakes, the check fails and names each', () => {
    let result: CommandResult = { status: 0, output: '' };
    beforeAll(() => {
      using copy = new ScratchCopy();
      // An upward import: the lowest folder imports one above it.
      copy.write('isa/isa.ts', `import '../linker/index.js';\n${copy.read('isa/isa.ts')}`);
      // A cycle between folders: machine imports guest-kernel, so this closes a loop.
      copy.write('guest-kernel/uses-machine.ts', "export { Cluster } from '../emulator/machine/index.js';\n");
      // Two modules of one folder that import each other.
      copy.write('linker/ping.ts', "import { pong } from './pong.js';\nexport const ping = (): number => pong() + 1;\n");
      copy.write('linker/pong.ts', "import { ping } from './ping.js';\nexport const pong = (): number => ping() - 1;\n");
      result = copy.npmRun('boundaries');
    }, 120_000);

    it('exits non-zero', () => {
      expect(result.status).not.toBe(0);
    });

    it('an upward import, naming the rule and both files', () => {
      expect(result.output).toContain('error isa imports only itself: isa/isa.ts → linker/index.ts');
    });

    it("a cycle between folders: the lower folder's import is the upward one", () => {
      expect(result.output).toContain(
        'error guest-kernel imports only isa, linker: guest-kernel/uses-machine.ts → emulator/machine/index.ts');
    });

    it('modules of one folder that import each other, as a cycle', () => {
      expect(result.output).toMatch(/error no-cycles: linker\/p[io]ng\.ts → \s*linker\/p[io]ng\.ts →\s*linker\/p[io]ng\.ts/);
    });
  });
});

describe('lint', () => {
  it('a floating promise fails the lint with its file, line and rule', () => {
    using copy = new ScratchCopy();
    copy.write('isa/forgotten.ts', 'export function start(work: () => Promise<void>): void {\n  work();\n}\n');
    const result = copy.npmRun('lint', 'isa');
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/isa\/forgotten\.ts\s+2:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/s);
  });
});
