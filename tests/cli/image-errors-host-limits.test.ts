// Images past what one host process holds (issue 10, item 15): refused before any
// engine opens with one line naming the field, instead of Unicorn's "Could not allocate
// dynamic translator buffer". `boot`'s line is read from the loader in this process
// (imageErrorLine); `debug` runs as the CLI. (koffi's callback table is no limit: tests/engine/limits.)
import { afterAll, describe, expect, it } from 'vitest';
import { RETURN_ZERO, TempDir, expectSingleErrorLine, imageErrorLine, runCli } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const ISAS = Object.keys(RETURN_ZERO);
// Written once, before the concurrent cases: rewriting a source while another case's
// CLI reads it would hand that CLI an empty file.
for (const isa of ISAS) tmp.file(`${isa}.s`, RETURN_ZERO[isa]!);

function group(isa: string, cores: number, count = 1, ramMiB = 8): Record<string, unknown> {
  return { isa, cores, count, ramMiB, programs: [{ source: `${isa}.s` }] };
}

describe.concurrent('clustervm boot: host limits', () => {
  it.each(ISAS)('%s: 8,193 cores are one engine past the host limit', async (isa) => {
    const path = tmp.image(`cores-${isa}.json`, { name: 'cores', nodes: [group(isa, 64, 128), group(isa, 1)] });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: nodes: 8,193 cores in all; this host opens at most 8,192 engines (one per core)`);
  });

  it('the node RAM of every node together stays within 8 GiB', async () => {
    const path = tmp.image('ram.json', { name: 'ram', nodes: [group('sparc32', 1, 9, 1024)] });
    const line = await imageErrorLine(path);
    expect(line).toBe(`clustervm: ${path}: nodes: 9,216 MiB of node RAM in all (ramMiB x count); the host allows 8,192 MiB`);
  });

  it('debug checks the same limits before it opens an engine', async () => {
    const path = tmp.image('debug.json', { name: 'debug', nodes: [group('x86-32', 64, 128), group('x86-32', 1)] });
    const line = expectSingleErrorLine(await runCli(['debug', path, '--script', tmp.file('empty.script', '')]));
    expect(line).toMatch(/: nodes: 8,193 cores in all; this host opens at most 8,192 engines/);
  });
});
