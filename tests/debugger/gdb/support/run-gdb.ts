import { spawn, spawnSync } from 'node:child_process';

const GDB = 'gdb-multiarch';

/** Fails early with the fix when gdb is missing (make test installs it). */
export function requireGdb(): void {
  const probe = spawnSync(GDB, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(`${GDB} is not installed: run make test, which installs it`);
}

/**
 * Runs gdb in batch mode against the stub: `setup` before connecting, then
 * `commands`. Returns what gdb printed, stdout and stderr interleaved as they came.
 */
export function runGdb(port: number, commands: readonly string[], setup: readonly string[] = []): Promise<string> {
  const ex = (list: readonly string[]) => list.flatMap((command) => ['-ex', command]);
  const args = ['-nx', '-batch', ...ex(setup), ...ex([`target extended-remote 127.0.0.1:${port}`, ...commands])];
  return new Promise((resolve, reject) => {
    const gdb = spawn(GDB, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gdb.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    gdb.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const timer = setTimeout(() => gdb.kill('SIGKILL'), 20_000);
    gdb.on('error', reject);
    gdb.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
