// Command-line options: bad values are one line and exit 2; --help and --version exit 0.
// The cases call the CLI's main() in this process, where commander parses the same
// argv (a child per case was nearly all of the suite's time: Node and tsx start-up);
// the last tests run real processes, a supervised boot and the unsupervised commands,
// and find the same lines and exit codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, TempDir, escapeRegExp, expectSingleErrorLine, outputLines, runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const IMAGE = 'images/hello-x86.json';
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

describe('clustervm: bad options', () => {
  it.each([
    ['--quantum', 'abc'],
    ['--quantum', '0'],
    ['--quantum', '1e3'],
    ['--quantum', '2.5'],
    ['--quantum', '99999999999999999999'],
    ['--max-instructions', '-5'],
    ['--max-instructions', '0'],
    ['--max-instructions', 'many'],
  ])('%s %s', async (option, value) => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', IMAGE, option, value]));
    expect(line).toBe(`clustervm: ${option}: expected a positive integer, got '${value}'`);
  });

  it('--quantum=abc (inline value form)', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', IMAGE, '--quantum=abc']));
    expect(line).toBe("clustervm: --quantum: expected a positive integer, got 'abc'");
  });

  it('a bad option value is refused before the image is read', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', 'images/no-such-image.json', '--quantum', 'abc']));
    expect(line).toMatch(/^clustervm: --quantum: /);
  });

  it('an unknown option', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', IMAGE, '--bogus']));
    expect(line).toMatch(/unknown option '--bogus'/);
  });

  it('a missing image argument', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot']));
    expect(line).toMatch(/missing required argument 'image'/);
  });

  it('an option without its value', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', IMAGE, '--quantum']));
    expect(line).toMatch(/--quantum <n>' argument missing/);
  });

  it('an unknown command', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['frobnicate']));
    expect(line).toMatch(/unknown command 'frobnicate'/);
  });

  it('a --trace file that cannot be created', async () => {
    const trace = join(tmp.path, 'no-such-dir', 'out.trace');
    const line = expectSingleErrorLine(await runCliInProcess(['boot', IMAGE, '--trace', trace]));
    expect(line).toMatch(new RegExp(`^clustervm: .*${escapeRegExp(trace)}`));
  });
});

describe('clustervm: --help and --version', () => {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('--help prints usage and exits 0', async () => {
    const result = await runCliInProcess(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = outputLines(result.stdout);
    expect(lines[0]).toBe('Usage: clustervm [options] [command]');
    expect(result.stdout).toMatch(/^\s+boot \[options\] <image>\s+boot a cluster image/m);
    expect(result.stdout).toMatch(/^\s+-V, --version\s/m);
    expect(result.stdout).toMatch(/^\s+-h, --help\s/m);
  });

  it('boot --help lists every boot option and exits 0', async () => {
    const result = await runCliInProcess(['boot', '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(outputLines(result.stdout)[0]).toBe('Usage: clustervm boot [options] <image>');
    for (const option of ['--quantum <n>', '--max-instructions <n>', '--trace <file>', '--json']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${escapeRegExp(option)}\\s`, 'm'));
    }
  });

  it.each(['--version', '-V'])('%s prints the package.json version and exits 0', async (flag) => {
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const result = await runCliInProcess([flag]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${version}\n`);
  });
});

describe('the real clustervm process', () => {
  // A boot goes through the supervisor's child; the other commands run in the first process.
  it.each([
    [['boot', IMAGE, '--quantum', 'abc']],
    [['frobnicate']],
    [['--version']],
  ])('clustervm %j: the same output and exit code as main() in this process', async (args) => {
    const child = await runCli(args);
    expect(child).toEqual(await runCliInProcess(args));
    expect(child.code).toBe(args[0] === '--version' ? 0 : 2);
  });
});
