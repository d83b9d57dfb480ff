// Issue 10 item 13: what goes wrong around the run (a reader that leaves, a trace file
// that cannot be written, a busy port, a directory for a file) is one line or silence,
// never a stack trace, and never harms the guests. A reader that leaves and a trace on
// /dev/full are real processes; the refusals call the CLI's main() in this process (a
// child per case was most of their time: Node and tsx start-up) and the last test runs
// one of them as a real process, finding the same line and exit code.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, TempDir, expectSingleErrorLine, parseTextOutput, runCli } from '../support/index.js';
import { floodImage } from './support/flood-guest.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** Runs the CLI, reads its first chunk of stdout and closes stdout, as `| head -1` does. */
function runCliClosingStdout(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 50_000 });
    let first = '';
    const err: Buffer[] = [];
    // Only a chunk with bytes in it counts as the first: an empty one was seen once under load.
    const readFirst = (chunk: Buffer) => {
      if (chunk.length === 0) return;
      first = chunk.toString('utf8');
      child.stdout.off('data', readFirst);
      child.stdout.destroy();
    };
    child.stdout.on('data', readFirst);
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, first, stderr: Buffer.concat(err).toString('utf8') }));
  });
}

describe('clustervm: a closed stdout ends the run quietly', () => {
  // 2,000 lines of 100 bytes per core: far more than a pipe buffers, so the CLI is still
  // writing when its reader leaves.
  const flood = { writes: 2000, fillBytes: 100, fill: 0x7a, newline: true };

  it.each([[[] as string[]], [['--json']]])('boot %j | head -1: exit 0, nothing on stderr', async (extra) => {
    const image = floodImage(`epipe${extra.join('')}`, flood, (name, text) => tmp.file(name, text));
    const result = await runCliClosingStdout(['boot', image, ...extra]);
    expect(result.first.length).toBeGreaterThan(0);
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
  });
});

describe('clustervm boot --trace: a trace that cannot be written', () => {
  it('--trace /dev/full: one error line, exit 2, and every core of every ISA runs to its result', async () => {
    const traced = await runCli(['boot', 'images/default.json', '--trace', '/dev/full']);
    const plain = await runCliInProcess(['boot', 'images/default.json']);
    expect(plain.code).toBe(0);
    expect(traced.stderr).toBe('clustervm: --trace /dev/full: cannot write the trace (ENOSPC): the trace is incomplete, the run finished\n');
    expect(traced.code).toBe(2);
    expect(traced.stdout, 'guests unharmed: the same console, faults and summary').toBe(plain.stdout);
    const { rows } = parseTextOutput(traced.stdout);
    expect(rows.map((row) => row.isa).sort()).toEqual(['sparc32', 'sparc32', 'sparc64', 'sparc64', 'x86-32', 'x86-32', 'x86-64', 'x86-64']);
    for (const row of rows) expect(row).toMatchObject({ status: 'exited', faults: 0, exit: '0' });
  });

  it("--trace '' is refused, not ignored", async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['boot', 'images/hello-x86.json', '--trace', '']));
    expect(line).toBe("clustervm: --trace: expected a file name, got ''");
  });
});

describe('clustervm: busy ports and directories', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it.each(['boot', 'debug'])('%s --gdb on a port in use: one line naming the port, exit 2', async (command) => {
    const line = expectSingleErrorLine(await runCliInProcess([command, 'images/hello-x86.json', '--gdb', String(port)]));
    expect(line).toBe(`clustervm: --gdb ${port}: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
  });

  it('debug --script DIR: one line, exit 2', async () => {
    const line = expectSingleErrorLine(await runCliInProcess(['debug', 'images/hello-x86.json', '--script', tmp.path]));
    expect(line).toBe(`clustervm: --script ${tmp.path}: not a regular file`);
  });

  it('debug --script of a missing file: one line, exit 2', async () => {
    const missing = tmp.join('no-such-script');
    const line = expectSingleErrorLine(await runCliInProcess(['debug', 'images/hello-x86.json', '--script', missing]));
    expect(line).toBe(`clustervm: --script ${missing}: cannot read the file (ENOENT)`);
  });

  it('the real process: --gdb on a port in use prints the same line, exit 2', async () => {
    const args = ['debug', 'images/hello-x86.json', '--gdb', String(port)];
    const child = await runCli(args);
    expectSingleErrorLine(child);
    expect(child).toEqual(await runCliInProcess(args));
  });
});
