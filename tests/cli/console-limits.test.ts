// Issue 10 item 6: a guest's console output costs the host linear work and bounded
// memory, and never costs the summary: a line is kept up to CONSOLE_LINE_LIMIT_BYTES,
// --json keeps JSON_CONSOLE_BYTES_PER_CORE per core, each with a line saying what was cut.
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_CONSOLE_BYTES_PER_CORE } from '../../emulator/cli/console-collector.js';
import { CONSOLE_LINE_LIMIT_BYTES } from '../../emulator/machine/index.js';
import { TempDir, outputLines, parseTextOutput, runCli } from '../support/index.js';
import { ISAS, floodImage } from './support/flood-guest.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());
const file = (name: string, text: string) => tmp.file(name, text);
const CORES = ISAS.map((_isa, node) => `n${node}.c0`);

describe('clustervm boot: console floods', () => {
  it('4,000 writes of 4 KB without a newline per ISA: one line cut at the limit and a note (was quadratic: minutes)', { timeout: 60_000 }, async () => {
    const flood = { writes: 4000, fillBytes: 4096, fill: 0x78, newline: false };
    const result = await runCli(['boot', floodImage('no-newline', flood, file)]);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { before, rows } = parseTextOutput(result.stdout);
    const cut = flood.writes * flood.fillBytes - CONSOLE_LINE_LIMIT_BYTES;
    expect(before).toEqual(CORES.flatMap((core) => [
      `${core} ${'x'.repeat(CONSOLE_LINE_LIMIT_BYTES)}`,
      `${core} [console: ${cut} more bytes of this line cut; a line keeps at most ${CONSOLE_LINE_LIMIT_BYTES} bytes]`,
    ]));
    expect(rows.map((row) => [row.core, row.status, row.traps])).toEqual(CORES.map((core) => [core, 'exited', flood.writes + 1]));
  });

  it('--json with 96 MB of control bytes (576 M characters of JSON): the summary and every result survive', async () => {
    const flood = { writes: 6144, fillBytes: 4095, fill: 0x01, newline: true };
    const result = await runCli(['boot', floodImage('json-flood', flood, file), '--json'], 120_000);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { exitCode: number; cores: { status: string; traps: number }[]; console: string[] };
    expect(summary.exitCode).toBe(0);
    expect(summary.cores.map((core) => [core.status, core.traps])).toEqual(CORES.map(() => ['exited', flood.writes + 1]));
    // Each console line is `nN.c0 ` and the 4,095 bytes; the bytes counted are UTF-8, newline included.
    const lineBytes = 'n0.c0 '.length + flood.fillBytes;
    const kept = Math.floor(JSON_CONSOLE_BYTES_PER_CORE / lineBytes);
    const cutLines = flood.writes - kept;
    const text = '\u0001'.repeat(flood.fillBytes);
    expect(summary.console).toEqual([
      ...CORES.flatMap((core) => Array.from({ length: kept }, () => `${core} ${text}`)),
      ...CORES.map((core) => `${core} [console: ${cutLines} more lines (${cutLines * (lineBytes + 1)} bytes) cut; --json keeps at most ${JSON_CONSOLE_BYTES_PER_CORE} bytes per core]`),
    ]);
  }, 130_000);

  it('text mode prints every line of a flood with newlines, unbounded', async () => {
    const flood = { writes: 50, fillBytes: 100, fill: 0x79, newline: true };
    const result = await runCli(['boot', floodImage('lines', flood, file)]);
    expect(result.code).toBe(0);
    const lines = outputLines(result.stdout).filter((line) => line.endsWith('y'.repeat(100)));
    expect(lines).toHaveLength(ISAS.length * flood.writes);
  });
});
