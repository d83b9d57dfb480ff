// The progress line: on a terminal (a pseudo-terminal from util-linux's `script`) a
// long boot shows virtual time, instructions per second and the cores running; with
// --json, or with stderr piped, it never shows.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, TempDir, runCli } from '../support/index.js';

const tmp = new TempDir('clustervm-progress');
afterAll(() => tmp.cleanup());

/** Two cores spinning 80 million instructions each: a boot of about a second. */
const image = tmp.writeImage('long', {
  nodes: [{ isa: 'x86-32', cores: 2, programs: [{ source: 'main:\n mov ecx, 80000000\nspin:\n dec ecx\n jnz spin\n xor eax, eax\n ret\n' }] }],
});

/** Runs the CLI with stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: readonly string[]): string {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(0);
  return result.stdout;
}

const PROGRESS = /\[clustervm\] virtual \d+\.\d{3} ms, [\d,]+ instructions \(\d+\.\d M\/s\), [0-2] of 2 cores running/;

describe('the progress line', () => {
  it('shows on a terminal, and is erased before the summary', () => {
    const shown = onTerminal(['boot', image]);
    expect(shown).toMatch(PROGRESS);
    const erase = `\r${String.fromCharCode(0x1b)}[2K`;
    expect(shown.slice(shown.lastIndexOf(erase) + erase.length).trimStart()).toMatch(/^core\s+isa/);
  });

  it('never shows with --json, nor with stderr piped', async () => {
    expect(onTerminal(['boot', image, '--json'])).not.toMatch(/\[clustervm\]/);
    const piped = await runCli(['boot', image]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });
});
