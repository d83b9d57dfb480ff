// Issue 10, item 15 (the engine's part): limits that ended in someone else's message.
// koffi allows 8192 callbacks and every hook held one, so a 64-core node receiving 64
// channels failed with "Too many callbacks are in use"; Unicorn exits the process with
// "Could not allocate dynamic translator buffer" once address space runs out (each
// engine reserves about 1 GiB), so the engine count must be checked before opening.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENGINE_ADDRESS_SPACE_BYTES, Engine, HOOK_CALLBACKS, MAX_ENGINES, UC_HOOK_MEM_WRITE, hookCallbacksInUse,
} from '../../emulator/index.js';
import { TempDir, runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const OPEN_ENGINES = fileURLToPath(new URL('./fixtures/open-engines.ts', import.meta.url));
const tmp = new TempDir();
tmp.file('exit0.s', 'main:\n xor eax, eax\n ret\n');
afterAll(() => tmp.cleanup());

describe('engine limits', () => {
  it("10,000 hooks on 40 engines share one koffi callback per prototype (koffi allows 8192)", () => {
    const engines = Array.from({ length: 40 }, () => Engine.open('sparc32'));
    for (const engine of engines) {
      engine.onInterrupt(() => undefined);
      engine.onMemoryEvent(0x70, () => false);
      for (let word = 0; word < 250; word++) engine.onMemoryAccess(UC_HOOK_MEM_WRITE, 0x1000 + 4 * word, 0x1003 + 4 * word, () => undefined);
      engine.onCode(0x1000, 0x1000, () => undefined);
      engine.onBlock(() => undefined);
      engine.onInvalidInstruction(() => false);
    }
    expect(hookCallbacksInUse()).toBeLessThanOrEqual(HOOK_CALLBACKS);
    for (const engine of engines) engine.close();
  });

  it('a 64-core node receiving 64 channels boots (it failed with koffi\'s "Too many callbacks")', async () => {
    const image = tmp.image('chan64.json', {
      name: 'chan64',
      nodes: [
        { isa: 'x86-32', cores: 1, programs: [{ source: 'exit0.s' }] },
        { isa: 'x86-32', cores: 64, ramMiB: 8, programs: [{ source: 'exit0.s' }] },
      ],
      channels: Array.from({ length: 64 }, (_, core) => ({ from: [0, 0], to: [1, core], slots: 4, window: 2 })),
    });
    // In this process, which has opened and closed the engines above: koffi's callbacks
    // are counted per process, so any a closed engine kept would only make it fail sooner.
    const result = await runCliInProcess(['boot', image]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('a 256 x 20-core image boots and every one of its 5,120 cores exits (koffi\'s callbacks ended at 4,096)', async () => {
    tmp.file('exit0-sparc.s', 'main:\n retl\n clr %o0\n');
    const image = tmp.image('nodes256x20.json', {
      name: 'nodes256x20',
      nodes: [
        { isa: 'x86-32', cores: 20, count: 128, ramMiB: 4, programs: [{ source: 'exit0.s' }] },
        { isa: 'sparc32', cores: 20, count: 128, ramMiB: 4, programs: [{ source: 'exit0-sparc.s' }] },
      ],
    });
    const result = await runCli(['boot', image, '--json'], 120_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const cores = (JSON.parse(result.stdout) as { cores: { node: number; status: string; exitStatus: number }[] }).cores;
    expect(cores).toHaveLength(256 * 20);
    expect(new Set(cores.map((core) => core.node)).size).toBe(256);
    expect(cores.filter((core) => core.status === 'exited' && core.exitStatus === 0)).toHaveLength(256 * 20);
  }, 130_000);

  it('under an address-space limit, enginesThisProcessCanOpen() engines open without Unicorn ending the process', () => {
    const limitKiB = 64 * 1024 * 1024; // 64 GiB: room for a few dozen engines beside node itself
    const child = spawnSync('bash', ['-c', `ulimit -v ${limitKiB} && exec "$0" --import tsx "$1"`, process.execPath, OPEN_ENGINES],
      { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).not.toMatch(/Could not allocate/);
    expect(child.status).toBe(0);
    const opened = Number(/^opened (\d+)$/m.exec(child.stdout)?.[1]);
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan((limitKiB * 1024) / ENGINE_ADDRESS_SPACE_BYTES);
    expect(opened).toBeLessThanOrEqual(MAX_ENGINES);
  }, 70_000);
});
