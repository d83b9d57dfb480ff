// The linker on the command line, as a real subprocess: `clustervm link` lists modules and
// symbols with their addresses, intensities and reference counts; `boot --bind S=weak
// --json` reports S's calls; bad --bind values are one-line usage errors (exit 2).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../../emulator/index.js';
import { expectSingleErrorLine, outputLines, runCli, TempDir } from '../../support/index.js';
import { hex, load } from '../support/behaviour-image.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const LOOP = 25;
const CORES = 2;

// main: s = sum of foo(i), i < LOOP (one call site in the loop), then s += foo(s) (a
// second site), then bar(), greet() and f() once each; reports s = 2 * LOOP(LOOP+1)/2 + 1.
const MAIN = `
.extern foo, bar, greet, f
main:
    push  ebx
    push  esi
    xor   ebx, ebx
    xor   esi, esi
next:
    push  esi
    call  foo
    add   esp, 4
    add   ebx, eax
    inc   esi
    cmp   esi, ${LOOP}
    jb    next
    push  ebx
    call  foo
    add   esp, 4
    add   ebx, eax
    call  bar
    call  greet
    call  f
    mov   eax, SYS_REPORT
    xor   ecx, ecx
    int   0x80
    xor   eax, eax
    pop   esi
    pop   ebx
    ret
`;

let image = '';
let failsafeToWeak = '';

beforeAll(() => {
  tmp.file('main.s', MAIN);
  tmp.file('foo.s', '.globl foo\nfoo:\n    mov   eax, dword ptr [esp + 4]\n    inc   eax\n    ret\n');
  tmp.file('bar.s', '.globl bar\nbar:\n    xor   eax, eax\n    ret\n');
  tmp.file('greet.s', '.globl greet\ngreet:\n    ret\n');
  tmp.file('f-seq.s', '.globl f\nf:\n    ret\n');
  tmp.file('f-lwp.s', '.globl f\nf:\n    nop\n    ret\n');
  image = tmp.image('image.json', {
    name: 'linker-cli',
    nodes: [{
      isa: 'x86-32', cores: CORES,
      programs: [{ name: 'main', source: 'main.s' }],
      modules: [
        { name: 'foo', source: 'foo.s' },
        { name: 'bar', source: 'bar.s' },
        { name: 'lib', source: 'greet.s', library: true },
        { name: 'f.seq', source: 'f-seq.s' },
        { name: 'f.lwp', source: 'f-lwp.s' },
      ],
      bindings: {
        foo: 'mediated',
        bar: { intensity: 'weak', deny: ['lib'] },
        greet: 'failsafe',
        f: { intensity: 'immediate', use: 'f.lwp' },
      },
    }],
  });
  // greet is linked on its first call on each node and then bound weak: every call of
  // every core of both nodes must be counted, the call that trapped included.
  failsafeToWeak = tmp.image('failsafe-weak.json', {
    name: 'failsafe-to-weak',
    nodes: [{
      isa: 'x86-32', cores: CORES, count: 2,
      programs: [{ name: 'main', source: 'main.s' }],
      modules: [
        { name: 'foo', source: 'foo.s' },
        { name: 'bar', source: 'bar.s' },
        { name: 'lib', source: 'greet.s', library: true },
        { name: 'f.seq', source: 'f-seq.s' },
      ],
      bindings: { greet: { intensity: 'failsafe', resolved: 'weak' } },
    }],
  });
});

/** Splits a text table by the column spans of its rule line (cells may hold spaces). */
function parseTable(lines: readonly string[], headerAt: number): Record<string, string>[] {
  const header = lines[headerAt]!;
  const rule = lines[headerAt + 1]!;
  expect(rule).toMatch(/^-+(?: {2}-+)*$/);
  const spans = [...rule.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const cell = (line: string, [from, to]: readonly [number, number], last: boolean) =>
    line.slice(from, last ? undefined : to).trim();
  const names = spans.map((span, i) => cell(header, span, i === spans.length - 1));
  const rows: Record<string, string>[] = [];
  for (let i = headerAt + 2; i < lines.length && lines[i] !== ''; i++) {
    rows.push(Object.fromEntries(names.map((name, c) => [name, cell(lines[i]!, spans[c]!, c === spans.length - 1)])));
  }
  return rows;
}

describe.concurrent('clustervm link / boot --bind', () => {
  it('link lists every module and symbol with address, intensity and reference count', async () => {
    const result = await runCli(['link', image]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const lines = outputLines(result.stdout);
    expect(lines[0]).toBe(`image linker-cli (${image})`);
    const plan = (await load(image)).nodes[0]!.link;
    expect(lines[2]).toBe(`node 0 (x86-32): mediator ${hex(plan.mediator.address)}, linkage table ${hex(plan.tableAddress)}`);

    const modules = parseTable(lines, lines.findIndex((line) => line.startsWith('module ')));
    const address = (name: string) => plan.modules.find((m) => m.name === name)!.address;
    // main is placed at PROGRAM_BASE; every module after it starts 64-byte aligned.
    expect(address('main')).toBe(PROGRAM_BASE);
    for (const m of plan.modules) expect(m.address % 64).toBe(0);
    expect(modules.map((m) => [m.module, m.address, m.bytes, m.state, m.links, m.exports])).toEqual(
      plan.modules.map((m) => [
        m.name, hex(m.address), String(m.bytes.length), m.library ? 'library' : 'loaded', m.library ? '0' : '1',
        m.exports.size ? [...m.exports.keys()].join(' ') : '-',
      ]));
    expect(modules.map((m) => m.module)).toEqual(['main', 'foo', 'bar', 'lib', 'f.seq', 'f.lwp']);
    for (const m of modules) expect(m.file).toMatch(new RegExp(`${m.module === 'lib' ? 'greet' : m.module!.replace('.', '-')}\\.s$`));

    const symbols = parseTable(lines, lines.findIndex((line) => line.startsWith('symbol ')));
    const exportOf = (module: string, symbol: string) => hex(plan.modules.find((m) => m.name === module)!.exports.get(symbol)!);
    // refs: the call sites in main's source (two for foo, one for each other symbol).
    expect(symbols).toEqual([
      { symbol: 'bar', intensity: 'weak', module: 'bar', address: exportOf('bar', 'bar'), via: 'mediator, refuses lib', refs: '1', alternatives: '-' },
      { symbol: 'f', intensity: 'immediate', module: 'f.lwp', address: exportOf('f.lwp', 'f'), via: 'direct', refs: '1', alternatives: 'f.seq f.lwp' },
      { symbol: 'foo', intensity: 'mediated', module: 'foo', address: exportOf('foo', 'foo'), via: expect.stringMatching(/^trampoline 0x1f[0-9a-f]{4} \(jmp rel32\)$/) as string, refs: '2', alternatives: '-' },
      { symbol: 'greet', intensity: 'failsafe (open)', module: 'lib', address: '-', via: 'fail-safe entry', refs: '1', alternatives: '-' },
    ]);
    expect(plan.modules[0]!.references.map((r) => r.symbol)).toEqual(['foo', 'foo', 'bar', 'greet', 'f']);
  });

  it('link --bind foo=weak shows foo bound weak through the mediator', async () => {
    const result = await runCli(['link', image, '--bind', 'foo=weak']);
    expect(result.code).toBe(0);
    const lines = outputLines(result.stdout);
    const symbols = parseTable(lines, lines.findIndex((line) => line.startsWith('symbol ')));
    expect(symbols.find((s) => s.symbol === 'foo')).toMatchObject({ intensity: 'weak', via: 'mediator', refs: '2' });
  });

  it('boot --bind foo=weak --json reports foo\'s calls under links', async () => {
    const result = await runCli(['boot', image, '--bind', 'foo=weak', '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const json = JSON.parse(result.stdout) as {
      cores: { status: string; result: string; traps: number }[];
      links: { node: number; modules: { name: string; links: number }[]; symbols: { symbol: string; intensity: string; calls: number; references: number }[] }[];
    };
    const sum = (LOOP * (LOOP + 1)) / 2;
    expect(json.cores.map((c) => [c.status, c.result])).toEqual(Array(CORES).fill(['exited', String(2 * sum + 1)]));
    // Core 0 (first to run) took greet's fail-safe trap: one more trap than core 1.
    expect(json.cores.map((c) => c.traps)).toEqual([3, 2]);
    const [links] = json.links;
    expect(links!.node).toBe(0);
    const symbol = (name: string) => links!.symbols.find((s) => s.symbol === name)!;
    // Each core calls foo LOOP + 1 times; the weak binding counts them all.
    expect(symbol('foo')).toMatchObject({ intensity: 'weak', references: 2, calls: CORES * (LOOP + 1) });
    expect(symbol('bar')).toMatchObject({ intensity: 'weak', calls: CORES });
    expect(symbol('greet')).toMatchObject({ intensity: 'immediate', calls: 0 });
    expect(links!.modules.find((m) => m.name === 'lib')!.links).toBe(1);
  });

  it('boot --json counts every call of a fail-safe symbol resolved weak, on every node', async () => {
    const result = await runCli(['boot', failsafeToWeak, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const json = JSON.parse(result.stdout) as {
      links: { node: number; symbols: { symbol: string; intensity: string; calls: number }[] }[];
    };
    expect(json.links.map((links) => [links.node, links.symbols.find((s) => s.symbol === 'greet')]))
      .toEqual([0, 1].map((node) => [node, expect.objectContaining({ intensity: 'weak', calls: CORES }) as unknown]));
  });

  it.each(['boot', 'link'])('%s --bind foo=sometimes: one line naming the option, exit 2', async (command) => {
    const line = expectSingleErrorLine(await runCli([command, image, '--bind', 'foo=sometimes']));
    expect(line).toBe("clustervm: --bind foo=sometimes: 'sometimes' is not a binding intensity (immediate, mediated, weak, failsafe)");
  });

  it.each(['boot', 'link'])('%s --bind nosuch=weak: one line naming nosuch, exit 2', async (command) => {
    const line = expectSingleErrorLine(await runCli([command, image, '--bind', 'nosuch=weak']));
    expect(line).toBe(`clustervm: ${image}: --bind nosuch: no module of the image exports nosuch`);
  });
});
