// Helpers for the console suites: run `clustervm debug IMAGE` as a real subprocess with
// a command script (--script FILE, or piped into stdin) and split its transcript.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { CLI, REPO_ROOT, TempDir, outputLines, runCli, type CliResult } from '../../support/index.js';

/** Two x86-32 nodes of two cores running the FLink demo (no link policy). */
export const TWO_NODES = 'tests/debugger/console/images/flink-two-nodes.json';

/** Runs `clustervm debug IMAGE --script FILE` with one command per line. */
export async function debugScript(image: string, commands: readonly string[], options: readonly string[] = []): Promise<CliResult> {
  const dir = new TempDir();
  try {
    return await runCli(['debug', image, ...options, '--script', dir.file('script.txt', `${commands.join('\n')}\n`)]);
  } finally {
    dir.cleanup();
  }
}

/** Runs `clustervm debug IMAGE` with the commands piped into its stdin. */
export function debugPiped(image: string, commands: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [CLI, 'debug', image], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 50_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
    }));
    child.stdin.end(`${commands.join('\n')}\n`);
  });
}

interface Exchange {
  readonly command: string;
  readonly output: readonly string[];
}

/** Splits a non-interactive transcript at its echoed `> command` lines. */
function transcript(result: CliResult): Exchange[] {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const exchanges: { command: string; output: string[] }[] = [];
  for (const line of outputLines(result.stdout)) {
    if (line.startsWith('> ')) exchanges.push({ command: line.slice(2), output: [] });
    else {
      expect(exchanges.length, `output before the first command: ${line}`).toBeGreaterThan(0);
      exchanges[exchanges.length - 1]!.output.push(line);
    }
  }
  return exchanges;
}

/** The output of each command in turn, asserting the commands ran in the order given. */
/** One output per command; typed as a tuple when `commands` is one (`as const`). */
export function outputs<const C extends readonly string[]>(
  result: CliResult, commands: C,
): { -readonly [K in keyof C]: readonly string[] } {
  const exchanges = transcript(result);
  expect(exchanges.map((exchange) => exchange.command)).toEqual(commands);
  return exchanges.map((exchange) => exchange.output) as { -readonly [K in keyof C]: readonly string[] };
}
