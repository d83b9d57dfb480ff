// `clustervm link --listing` and `--check`: the opcodes the linker writes for an image,
// kept beside it as a regression test. tests/golden holds the listings of
// images/flink.json and images/c-flink.json; each must still match, and rebinding a
// symbol must make the check fail with a diff that names the sites that changed.
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, expectSingleErrorLine, runCli } from '../support/index.js';

const tmp = new TempDir('clustervm-link-listing');
afterAll(() => tmp.cleanup());

describe.concurrent('clustervm link --listing / --check', () => {
  it.each(['flink', 'c-flink'])('images/%s.json still links to its listing in tests/golden', async (name) => {
    const result = await runCli(['link', `images/${name}.json`, '--check', `tests/golden/${name}.listing`]);
    expect(result.stdout).toBe(`link listing matches tests/golden/${name}.listing\n`);
    expect(result.code).toBe(0);
  });

  it('a listing names every call site, trampoline, stub and table entry with capstone\'s reading', async () => {
    const result = await runCli(['link', 'images/flink.json', '--listing']);
    expect(result.code).toBe(0);
    const headers = result.stdout.split('\n').filter((line) => /^0x[0-9a-f]+ {2}/.test(line)).map((line) => line.replace(/^0x[0-9a-f]+ {2}/, ''));
    expect(headers).toEqual(expect.arrayContaining([
      expect.stringMatching(/^call site main\+0x[0-9a-f]+ -> foo \(x86\.rel32, mediated\)$/),
      'trampoline of foo (shortest)',
      'weak stub of main -> f',
      'fail-safe stub of main -> greet',
      'linkage table entry 0: main -> f',
    ]));
  });

  it('after --bind foo=weak the check fails, exit 1, and the diff names the rebound site and the new stub', async () => {
    const result = await runCli(['link', 'images/c-flink.json', '--bind', 'foo=weak', '--check', 'tests/golden/c-flink.listing']);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('link listing differs from tests/golden/c-flink.listing (- saved, + now; line numbers of each):');
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^-\d+: 0x[0-9a-f]+ {2}call site main\+0x[0-9a-f]+ -> foo \(x86\.rel32, mediated\)$/),
      expect.stringMatching(/^\+\d+: 0x[0-9a-f]+ {2}call site main\+0x[0-9a-f]+ -> foo \(x86\.rel32, weak\)$/),
      expect.stringMatching(/^\+\d+: 0x[0-9a-f]+ {2}weak stub of main -> foo$/),
      expect.stringMatching(/^-\d+: 0x[0-9a-f]+ {2}trampoline of foo \(shortest\)$/),
    ]));
  });

  it('--check of a file that is not there is one line, exit 2', async () => {
    const missing = tmp.join('none.listing');
    const result = await runCli(['link', 'images/flink.json', '--check', missing]);
    expect(result.code).toBe(2);
    expect(expectSingleErrorLine(result)).toBe(`clustervm: --check: cannot read ${missing}`);
  });
});
