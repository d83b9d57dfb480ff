// Malformed cluster images: every mistake is one line on stderr naming the image (or
// the .s file and line) and the field, exit code 2, no stack trace. The CLI cases check
// that contract; the rest read the same line from the loader in this process
// (imageErrorLine), since a CLI start costs a second of TypeScript loading.
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, escapeRegExp, expectSingleErrorLine, imageErrorLine, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

tmp.file('good-x86.s', 'main:\n    xor eax, eax\n    ret\n');

function node(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { isa: 'x86-32', cores: 2, programs: [{ source: 'good-x86.s', entry: 'main' }], ...overrides };
}

const FILE_PREFIX = (file: string) => `^clustervm: ${escapeRegExp(file)}: `;

describe.concurrent('clustervm boot: malformed image JSON', () => {
  it('the happy control image boots (so the failures below are caused by the mistake)', async () => {
    const image = tmp.image('control.json', { name: 'control', nodes: [node()] });
    const result = await runCli(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('bad JSON', async () => {
    const image = tmp.image('bad-json.json', '{ "name": "x", nodes: [] }\n');
    const line = expectSingleErrorLine(await runCli(['boot', image]));
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}not valid JSON: \\S`));
  });

  it('truncated JSON', async () => {
    const image = tmp.image('truncated.json', '{ "name": "x", "nodes": [\n');
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}not valid JSON: `));
  });

  it('missing top-level field: no `nodes`', async () => {
    const image = tmp.image('no-nodes.json', { name: 'x' });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes: .*expected array, received undefined`));
  });

  it('missing top-level field: no `name`', async () => {
    const image = tmp.image('no-name.json', { nodes: [node()] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}name: .*expected string, received undefined`));
  });

  it('a node without `isa` (the second node, so the index must be right)', async () => {
    const { isa: _isa, ...noIsa } = node();
    const image = tmp.image('no-isa.json', { name: 'x', nodes: [node(), noIsa] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[1\\]\\.isa: `));
  });

  it('a program without `source`', async () => {
    const image = tmp.image('no-source.json', { name: 'x', nodes: [node({ programs: [{ entry: 'main' }] })] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[0\\]\\.programs\\[0\\]\\.source: `));
  });

  it('wrong type: cores: "two"', async () => {
    const image = tmp.image('cores-string.json', { name: 'x', nodes: [node({ cores: 'two' })] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[0\\]\\.cores: .*expected number, received string`));
  });

  it('wrong type: nodes is an object', async () => {
    const image = tmp.image('nodes-object.json', { name: 'x', nodes: node() });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes: .*expected array, received object`));
  });

  it('wrong top-level type: an array', async () => {
    const image = tmp.image('array.json', []);
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}\\(top level\\): .*expected object, received array`));
  });

  it('unknown ISA: isa: "arm"', async () => {
    const image = tmp.image('arm.json', { name: 'x', nodes: [node({ isa: 'arm' })] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[0\\]\\.isa: `));
    for (const isa of ['x86-32', 'x86-64', 'sparc32', 'sparc64']) expect(line).toContain(`"${isa}"`);
  });

  it('unknown extra field on a node', async () => {
    const image = tmp.image('extra-node.json', { name: 'x', nodes: [node({ colour: 'red' })] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[0\\]: Unrecognized key: "colour"$`));
  });

  it('unknown extra field at the top level', async () => {
    const image = tmp.image('extra-top.json', { name: 'x', colour: 'red', nodes: [node()] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}\\(top level\\): Unrecognized key: "colour"$`));
  });

  it('a misspelt program field (`entyr`)', async () => {
    const image = tmp.image('extra-program.json',
      { name: 'x', nodes: [node({ programs: [{ source: 'good-x86.s', entyr: 'main' }] })] });
    const line = await imageErrorLine(image);
    expect(line).toMatch(new RegExp(`${FILE_PREFIX(image)}nodes\\[0\\]\\.programs\\[0\\]: Unrecognized key: "entyr"$`));
  });

  it('a missing image file', async () => {
    const image = tmp.join('does-not-exist.json');
    const line = await imageErrorLine(image);
    expect(line).toBe(`clustervm: ${image}: cannot read image (no such file)`);
  });

  it('a missing image file given relative to the working directory', async () => {
    const line = expectSingleErrorLine(await runCli(['boot', 'images/no-such-image.json']));
    expect(line).toBe('clustervm: images/no-such-image.json: cannot read image (no such file)');
  });
});

describe.concurrent('clustervm boot: programs of an image', () => {
  it('a missing .s file', async () => {
    const image = tmp.image('missing-source.json',
      { name: 'x', nodes: [node({ programs: [{ source: 'sub/missing.s' }] })] });
    const line = await imageErrorLine(image);
    expect(line).toBe(
      `clustervm: ${image}: nodes[0].programs[0].source: cannot read sub/missing.s`);
  });

  it('an entry label that is not defined', async () => {
    const image = tmp.image('bad-entry.json',
      { name: 'x', nodes: [node({ programs: [{ source: 'good-x86.s', entry: 'start' }] })] });
    const line = await imageErrorLine(image);
    expect(line).toBe(
      `clustervm: ${image}: nodes[0].programs[0].entry: label 'start' is not defined in good-x86.s`);
  });

  it('a program on a core that does not exist', async () => {
    const image = tmp.image('bad-core.json',
      { name: 'x', nodes: [node({ cores: 2, programs: [{ source: 'good-x86.s', cores: [0, 2] }] })] });
    const line = await imageErrorLine(image);
    expect(line).toBe(
      `clustervm: ${image}: nodes[0].programs[0].cores: core 2 does not exist (the node has 2 cores)`);
  });

  it('two programs on the same core', async () => {
    const image = tmp.image('double-core.json', {
      name: 'x',
      nodes: [node({ programs: [{ source: 'good-x86.s', cores: [0] }, { source: 'good-x86.s', cores: [1, 0] }] })],
    });
    const line = await imageErrorLine(image);
    expect(line).toBe(`clustervm: ${image}: nodes[0].programs[1].cores: core 0 already runs another program`);
  });
});

interface BadSource {
  readonly title: string;
  readonly isa: 'x86-32' | 'x86-64' | 'sparc32' | 'sparc64';
  readonly lines: readonly string[];
  /** 1-based line keystone refuses. */
  readonly badLine: number;
  /** keystone's message for it. */
  readonly reason: RegExp;
}

const BAD_SOURCES: readonly BadSource[] = [
  {
    title: 'x86-32: unknown mnemonic on line 3 of 5',
    isa: 'x86-32',
    lines: ['main:', '    mov eax, 1', '    movz eax, ebx', '    ret', 'end:'],
    badLine: 3,
    reason: /Invalid mnemonic \(KS_ERR_ASM_MNEMONICFAIL\)/,
  },
  {
    title: 'x86-64: invalid operand on line 3 of 5, after a line with a comment',
    isa: 'x86-64',
    lines: ['main:', '    mov rax, 1 ; fine', '    mov rax, rbx, rcx', '    ret', 'end:'],
    badLine: 3,
    reason: /Invalid operand \(KS_ERR_ASM_INVALIDOPERAND\)/,
  },
  {
    title: 'x86-32: bad line 7, after comments, a .set and blank lines',
    isa: 'x86-32',
    lines: ['; a comment', '.set K, 4', 'main:', '    mov eax, K', '', '', '    xyz eax', '    ret'],
    badLine: 7,
    reason: /Invalid mnemonic \(KS_ERR_ASM_MNEMONICFAIL\)/,
  },
  {
    title: 'x86-32: undefined symbol on the last line',
    isa: 'x86-32',
    lines: ['main:', '    xor eax, eax', '    ret', 'data:', '    .long UNDEFINED_THING'],
    badLine: 5,
    reason: /\(KS_ERR_ASM_\w+\)/,
  },
  {
    title: 'sparc32: unknown mnemonic on line 3 of 5',
    isa: 'sparc32',
    lines: ['main:', '    mov 1, %o0', '    frob %o1, %o2', '    retl', '     nop'],
    badLine: 3,
    reason: /Invalid mnemonic \(KS_ERR_ASM_MNEMONICFAIL\)/,
  },
  {
    title: 'sparc32: invalid operand on line 4 of 5',
    isa: 'sparc32',
    lines: ['main:', '    mov 1, %o0', '    set 0x12345678, %o1', '    ld [%o1 + ], %o2', '    retl'],
    badLine: 4,
    reason: /Invalid operand \(KS_ERR_ASM_INVALIDOPERAND\)/,
  },
  {
    title: 'sparc64: invalid operand on line 3 of 5, after a ! comment',
    isa: 'sparc64',
    lines: ['! sparc', 'main:', '    add %o0, 1', '    retl', '     nop'],
    badLine: 3,
    reason: /Invalid operand \(KS_ERR_ASM_INVALIDOPERAND\)/,
  },
];

describe.concurrent('clustervm boot: a bad assembly line', () => {
  it.each(BAD_SOURCES)('$title', async ({ title, isa, lines, badLine, reason }) => {
    const slug = title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    tmp.file(`asm/${slug}.s`, `${lines.join('\n')}\n`);
    const image = tmp.image(`asm/${slug}.json`, {
      name: 'bad-asm',
      nodes: [{ isa, cores: 1, programs: [{ source: `${slug}.s` }] }],
    });
    const line = await imageErrorLine(image);
    // The source as the image names it, not as the working directory reaches it.
    const prefix = `clustervm: ${slug}.s:${badLine}: `;
    expect(line.startsWith(prefix), `${JSON.stringify(line)} starts with ${JSON.stringify(prefix)}`).toBe(true);
    const rest = line.slice(prefix.length);
    expect(rest).toMatch(reason);
    // The offending text, comment stripped and trimmed, ends the message.
    const badText = lines[badLine - 1]!.replace(/[;!].*$/, '').trim();
    expect(rest.endsWith(`: ${badText}`), `${JSON.stringify(rest)} ends with the bad line`).toBe(true);
  });
});
