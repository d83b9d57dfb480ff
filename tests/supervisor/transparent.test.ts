// The supervisor is a transparent parent: the user's signal ends the emulator it runs
// (no orphan keeps a core busy), and the supervisor dies of that signal as a lone
// process would.
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, TempDir } from '../support/index.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** Child pids of `pid`, from ps. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('clustervm boot under the supervisor', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to the supervisor ends its emulator and then itself by that signal', async (signal) => {
    tmp.file('spin.s', 'main:\nspin:\n    jmp spin\n');
    const image = tmp.image(`spin-${signal}.json`, { name: 'spin', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'spin.s' }] }] });
    const supervisor = spawn(process.execPath, [CLI, 'boot', image, '--max-instructions', '900000000000'], { cwd: REPO_ROOT, stdio: 'ignore' });
    const closed = new Promise<NodeJS.Signals | null>((resolve) => supervisor.on('close', (_code, sig) => resolve(sig)));
    let emulators: number[] = [];
    for (let tries = 0; emulators.length === 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      emulators = childrenOf(supervisor.pid!);
    }
    expect(emulators, 'the supervisor runs the emulator as its child').toHaveLength(1);
    supervisor.kill(signal);
    expect(await closed).toBe(signal);
    for (let tries = 0; alive(emulators[0]!) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(emulators[0]!), 'the emulator ended too').toBe(false);
  }, 40_000);
});
