// Images the loader used to accept wrongly, word badly, or read without end (issue 10,
// item 12): each is one line naming the image and the field, exit 2, or, for a valid
// but unusual image, exactly what the image says. Refusals are read from the loader in
// this process (imageErrorLine; tests/cli/image-errors.test.ts checks the CLI prints
// that line alone, exit 2). The cases that read the CLI's output call its main() in
// this process (a child per run was most of the suite's time: Node and tsx start-up);
// the last test runs the real process once and finds the same output and exit code.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RETURN_ZERO, TempDir, escapeRegExp, expectSingleErrorLine, imageErrorLine, outputLines, runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const IMAGES = join('tests', 'cli', 'images');
const image = (name: string) => join(IMAGES, name);

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const ISAS = Object.keys(RETURN_ZERO);

describe.concurrent('clustervm boot: image fields', () => {
  it('two policies for one symbol are refused (they re-linked f against each other and the host never ended)', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', image('duplicate-policy.json')]));
    expect(line).toBe(`clustervm: ${image('duplicate-policy.json')}: nodes[0].policies[1].symbol: f already has a policy (policies[0]); one policy per symbol`);
  });

  it('a binding of a symbol named __proto__ is kept: the call goes through its trampoline', async () => {
    const link = await runCliInProcess(['link', image('proto-binding.json'), '--json']);
    expect(link.code).toBe(0);
    const report = JSON.parse(link.stdout) as { groups: { report: { symbols: { symbol: string; intensity: string }[] } }[] };
    expect(report.groups[0]!.report.symbols.map((s) => [s.symbol, s.intensity])).toEqual([['__proto__', 'mediated']]);
    type Summary = { cores: { exitStatus: number; instructions: number }[] };
    const boot = await runCliInProcess(['boot', image('proto-binding.json'), '--json']);
    const immediate = await runCliInProcess(['boot', image('proto-binding.json'), '--json', '--bind', '__proto__=immediate']);
    const [mediated, direct] = [boot, immediate].map((run) => (JSON.parse(run.stdout) as Summary).cores[0]!);
    // __proto__ returns 7 (a guest exit status of 7 is exit code 1); the trampoline's jmp is one instruction more.
    expect([boot.code, mediated!.exitStatus, direct!.exitStatus]).toEqual([1, 7, 7]);
    expect(mediated!.instructions).toBe(direct!.instructions + 1);
  });

  it('an unknown intensity lists the valid ones', async () => {
    const line = await imageErrorLine(image('unknown-intensity.json'));
    expect(line).toBe(`clustervm: ${image('unknown-intensity.json')}: nodes[0].bindings.__proto__: unknown intensity "mediatd": use immediate, mediated, weak, failsafe`);
  });

  it('an unknown intensity in the object form lists the valid ones too', async () => {
    const path = tmp.image('object-intensity.json', {
      name: 'x', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'a.s' }], bindings: { f: { intensity: 'strong' } } }],
    });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: nodes[0].bindings.f.intensity: unknown intensity "strong": use immediate, mediated, weak, failsafe`);
  });

  it('a misspelt `programs` is named as the unknown field, with the field meant', async () => {
    const line = await imageErrorLine(image('misspelt-programs.json'));
    expect(line).toBe(`clustervm: ${image('misspelt-programs.json')}: nodes[0]: Unrecognized key: "program" (did you mean "programs"?)`);
  });

  it('a misspelt field far from every known one gets no guess', async () => {
    const path = tmp.image('far-field.json', { name: 'x', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'a.s' }], colour: 1 }] });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: nodes[0]: Unrecognized key: "colour"`);
  });

  it('a misspelt top-level field (`channel`) suggests `channels`', async () => {
    const path = tmp.image('channel.json', { name: 'x', channel: [], nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'a.s' }] }] });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: (top level): Unrecognized key: "channel" (did you mean "channels"?)`);
  });

  it('boot /dev/zero stops reading at the image size bound', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', '/dev/zero']));
    expect(line).toBe('clustervm: /dev/zero: not an image: larger than 1024 KiB');
  });

  it('an image past 1 MiB is refused before it is parsed', async () => {
    const path = tmp.image('huge.json', `{ "name": "x", "description": "${'x'.repeat(1 << 20)}", "nodes": [] }\n`);
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: not an image: larger than 1024 KiB`);
  });

  it('a program whose source is /dev/zero stops reading at the source size bound', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', image('source-dev-zero.json')]));
    expect(line).toBe(`clustervm: ${image('source-dev-zero.json')}: nodes[0].programs[0].source: /dev/zero is larger than 4 MiB`);
  });
});

describe.concurrent('clustervm boot: the DSM copies stay within the host budget', () => {
  it.each(ISAS)('%s: dsm.sizeMiB 256 on 32 cores (8 GiB of per-core copies) is refused before any engine opens', async (isa) => {
    tmp.file(`dsm/${isa}.s`, RETURN_ZERO[isa]!);
    const path = tmp.image(`dsm/${isa}.json`, {
      name: 'dsm-budget', dsm: { sizeMiB: 256 },
      nodes: [{ isa, cores: 16, count: 2, programs: [{ source: `${isa}.s` }] }],
    });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: dsm.sizeMiB: 256 MiB on each of 32 cores is 8,192 MiB of DSM copies; the host allows 4,096 MiB (cores x sizeMiB)`);
  });

  it.each(ISAS)('%s: dsm.sizeMiB 256 on 16 cores (exactly the budget) boots', async (isa) => {
    tmp.file(`dsm-fit/${isa}.s`, RETURN_ZERO[isa]!);
    const path = tmp.image(`dsm-fit/${isa}.json`, {
      name: 'dsm-budget', dsm: { sizeMiB: 256 },
      nodes: [{ isa, cores: 8, count: 2, programs: [{ source: `${isa}.s` }] }],
    });
    const result = await runCliInProcess(['boot', path, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { cores: { status: string }[] };
    expect(summary.cores.map((core) => core.status)).toEqual(new Array(16).fill('exited'));
  });
});

describe.concurrent('clustervm boot: .s paths in errors are the image\'s own words', () => {
  // The image lies two directories below the working directory's view of it and names
  // its sources relative to itself; errors must show exactly what it wrote.
  it.each(ISAS)('%s: a bad line in ../src/bad.s is reported as ../src/bad.s:2', async (isa) => {
    const bad = isa.startsWith('x86') ? 'main:\n    movz eax, ebx\n    ret\n' : 'main:\n    frob %o1, %o2\n    retl\n';
    tmp.file(`paths-${isa}/src/bad.s`, bad);
    const path = tmp.image(`paths-${isa}/images/bad.json`, { name: 'x', nodes: [{ isa, cores: 1, programs: [{ source: '../src/bad.s' }] }] });
    const line = await imageErrorLine(path);
    expect(line).toMatch(new RegExp(`^clustervm: \\.\\./src/bad\\.s:2: Invalid mnemonic \\(KS_ERR_ASM_MNEMONICFAIL\\): ${escapeRegExp(outputLines(bad)[1]!.trim())}$`));
  });

  it('a missing source and an undefined entry name the source as written', async () => {
    tmp.file('paths-entry/src/a.s', RETURN_ZERO['x86-32']!);
    const missing = tmp.image('paths-entry/images/missing.json', { name: 'x', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: '../src/none.s' }] }] });
    expect(await imageErrorLine(missing))
      .toBe(`clustervm: ${missing}: nodes[0].programs[0].source: cannot read ../src/none.s`);
    const entry = tmp.image('paths-entry/images/entry.json', { name: 'x', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: '../src/a.s', entry: 'start' }] }] });
    expect(await imageErrorLine(entry))
      .toBe(`clustervm: ${entry}: nodes[0].programs[0].entry: label 'start' is not defined in ../src/a.s`);
  });
});

describe('the real clustervm process', () => {
  it('prints what main() printed in this process, with its exit code: a refused image, then a guest exit status', async () => {
    for (const args of [['boot', image('duplicate-policy.json')], ['boot', image('proto-binding.json')]]) {
      const child = await runCli(args, 30_000);
      expect(child).toEqual(await runCliInProcess(args));
      expect(child.code).not.toBe(0);
    }
  });
});
