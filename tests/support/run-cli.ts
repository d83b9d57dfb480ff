// The CLI runner of the kit: `node emulator/cli/clustervm.mjs ...` as a real subprocess
// from the repository root, and readers of what it prints.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './guest-kit.js';

export const CLI = join(REPO_ROOT, 'emulator', 'cli', 'clustervm.mjs');

export interface CliResult {
  /** Exit code, or null if the process died of a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args`; resolves once it has exited, never rejects on a non-zero exit. */
export function runCli(args: readonly string[], timeoutMs = 50_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Lines of a process's output, without the final newline's empty tail. */
export function outputLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Asserts the CLI refused with exactly one line on stderr, nothing on stdout, exit
 * code 2 and no stack trace; returns that line.
 */
export function expectSingleErrorLine(result: CliResult): string {
  expect(result.signal).toBeNull();
  expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(result.stderr, 'no stack trace').not.toMatch(/node:internal|\.(?:ts|js|mjs):\d+:\d+/);
  expect(result.stderr, 'exactly one line on stderr').toMatch(/^[^\n]+\n$/);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(2);
  return outputLines(result.stderr)[0]!;
}

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One row of the boot summary table. */
export interface SummaryRow {
  readonly core: string;
  readonly isa: string;
  readonly status: string;
  readonly instructions: number;
  readonly virtualTime: string;
  readonly traps: number;
  readonly faults: number;
  readonly exit: string;
  readonly result: string;
}

const HEADER = /^core\s+isa\s+status\s+instructions\s+virtual time\s+traps\s+faults\s+exit\s+result$/;
const RULE = /^-+(?: {2}-+){8}$/;
const ROW = /^(n\d+\.c\d+)\s+(\S+)\s+(\S+)\s+([\d,]+)\s+(\d+(?:\.\d{3})? (?:ns|us|ms|s))\s+(\d+)\s+(\d+)\s+(-|-?\d+)\s+(-|\d+)$/;
const TOTAL = /^total\s+([\d,]+)\s+(\d+(?:\.\d{3})? (?:ns|us|ms|s))\s+(-|\d+)$/;

/**
 * Splits text-mode boot output into the lines before the table and the parsed table,
 * asserting the table's shape (header, rule, one row per core, total row last).
 */
export function parseTextOutput(stdout: string): {
  before: string[];
  rows: SummaryRow[];
  total: { instructions: number; virtualTime: string; result: string };
} {
  const lines = outputLines(stdout);
  const headerAt = lines.findIndex((line) => HEADER.test(line));
  expect(headerAt, `summary header in:\n${stdout}`).toBeGreaterThanOrEqual(1);
  expect(lines[headerAt - 1], 'a blank line precedes the table').toBe('');
  expect(lines[headerAt + 1]).toMatch(RULE);
  const body = lines.slice(headerAt + 2);
  expect(body.length).toBeGreaterThanOrEqual(2);
  const rows = body.slice(0, -1).map((line) => {
    const m = ROW.exec(line);
    expect(m, `summary row: ${JSON.stringify(line)}`).not.toBeNull();
    return {
      core: m![1]!, isa: m![2]!, status: m![3]!, instructions: Number(m![4]!.replaceAll(',', '')),
      virtualTime: m![5]!, traps: Number(m![6]!), faults: Number(m![7]!), exit: m![8]!, result: m![9]!,
    };
  });
  const t = TOTAL.exec(body[body.length - 1]!);
  expect(t, `total row: ${JSON.stringify(body[body.length - 1])}`).not.toBeNull();
  const total = { instructions: Number(t![1]!.replaceAll(',', '')), virtualTime: t![2]!, result: t![3]! };
  expect(total.instructions).toBe(rows.reduce((sum, row) => sum + row.instructions, 0));
  return { before: lines.slice(0, headerAt - 1), rows, total };
}
