// Images past what one host process holds (issue 10, item 15): refused before any
// engine opens with one line naming the field, instead of Unicorn's "Could not allocate
// dynamic translator buffer" or koffi's "Too many callbacks are in use (max = 8192)".
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, expectSingleErrorLine, runCli } from './run-cli.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const RETURN_ZERO: Record<string, string> = {
  'x86-32': 'main:\n    xor eax, eax\n    ret\n',
  'x86-64': 'main:\n    xor eax, eax\n    ret\n',
  sparc32: 'main:\n    retl\n     mov 0, %o0\n',
  sparc64: 'main:\n    retl\n     mov 0, %o0\n',
};
const ISAS = Object.keys(RETURN_ZERO);

function group(isa: string, cores: number, count = 1, ramMiB = 8): Record<string, unknown> {
  tmp.file(`${isa}.s`, RETURN_ZERO[isa]!);
  return { isa, cores, count, ramMiB, programs: [{ source: `${isa}.s` }] };
}

/** `count` channels from node 1's core 0 into node 0, spread over its 64 cores. */
function channelsInto64Cores(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({ from: [1, 0], to: [0, i % 64], slots: 1, window: 1 }));
}

describe.concurrent('clustervm boot: host limits', () => {
  it.each(ISAS)('%s: 4,097 cores are one engine past the host limit', async (isa) => {
    const path = tmp.image(`cores-${isa}.json`, { name: 'cores', nodes: [group(isa, 64, 64), group(isa, 1)] });
    const line = expectSingleErrorLine(await runCli(['boot', path]));
    expect(line).toBe(`clustervm: ${path}: nodes: 4,097 cores in all; one host runs at most 4,096 engines (one per core)`);
  });

  it.each(ISAS)('%s: a 64-core node receiving 64 channels needs more callbacks than koffi has', async (isa) => {
    const path = tmp.image(`channels-${isa}.json`, { name: 'channels', channels: channelsInto64Cores(64), nodes: [group(isa, 64), group(isa, 1)] });
    const line = expectSingleErrorLine(await runCli(['boot', path]));
    // 64 cores x (2 + 2 x 64) + 1 core x 2
    expect(line).toBe(`clustervm: ${path}: channels: the cluster needs 8,322 engine callbacks (2 per core, 2 per core per channel its node receives); koffi allows 8,192`);
  });

  it('a 64-core node receiving 62 channels fits (8,066 callbacks) and boots', async () => {
    const path = tmp.image('channels-fit.json', { name: 'channels', channels: channelsInto64Cores(62), nodes: [group('x86-32', 64), group('sparc32', 1)] });
    const result = await runCli(['boot', path, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { cores: { status: string }[] };
    expect(summary.cores.map((core) => core.status)).toEqual(new Array(65).fill('exited'));
  });

  it('--trace adds a callback per core: 2,731 cores need 8,193', async () => {
    const path = tmp.image('trace.json', { name: 'trace', nodes: [group('x86-64', 64, 42), group('sparc64', 43)] });
    const line = expectSingleErrorLine(await runCli(['boot', path, '--trace', tmp.join('trace.txt')]));
    expect(line).toBe(`clustervm: ${path}: nodes: the cluster needs 8,193 engine callbacks (3 per core, 2 per core per channel its node receives); koffi allows 8,192`);
  });

  it('the node RAM of every node together stays within 8 GiB', async () => {
    const path = tmp.image('ram.json', { name: 'ram', nodes: [group('sparc32', 1, 9, 1024)] });
    const line = expectSingleErrorLine(await runCli(['boot', path]));
    expect(line).toBe(`clustervm: ${path}: nodes: 9,216 MiB of node RAM in all (ramMiB x count); the host allows 8,192 MiB`);
  });

  it('debug checks the same limits before it opens an engine', async () => {
    const path = tmp.image('debug.json', { name: 'debug', channels: channelsInto64Cores(64), nodes: [group('x86-32', 64), group('x86-32', 1)] });
    const line = expectSingleErrorLine(await runCli(['debug', path, '--script', '/dev/null']));
    expect(line).toMatch(/: channels: the cluster needs 8,322 engine callbacks/);
  });
});
