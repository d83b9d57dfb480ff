// What a user sees of tasks: the --json tables, the console's info tasks and the
// task catchpoints, on images/remote-tasking.json; stopping at them changes nothing.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/index.js';
import { debugScript, outputs } from '../debugger/console/run-debug.js';

const IMAGE = 'images/remote-tasking.json';

interface JsonTask {
  readonly task: number; readonly parent: number; readonly node: number; readonly phase: string;
  readonly pagesFetched: number; readonly bytesMoved: number; readonly pagesUntouched: number | null; readonly exitValue: string | null;
}

describe('remote tasking as the user sees it', () => {
  it('--json lists every task (node, parent, pages fetched, exit value) and the spawn with its creation time', async () => {
    const result = await runCli(['boot', IMAGE, '--json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { tasks: JsonTask[]; spawns: { method: string; tasks: number; creationNs: number }[] };
    const spawned = document.tasks.filter((task) => task.parent === 1);
    expect(spawned).toHaveLength(15);
    for (const task of spawned) {
      // Task k sums page k - 1 of words 0, 1, 2, ...: 1024 * 1024 * (k - 1) + 1023 * 1024 / 2.
      const share = 1024 * 1024 * (task.node - 1) + (1023 * 1024) / 2;
      expect(task).toMatchObject({ phase: 'exited', pagesFetched: 1, bytesMoved: 4096, pagesUntouched: 14, exitValue: String(share) });
    }
    expect(document.spawns).toEqual([expect.objectContaining({ method: 'crtc', tasks: 15 })]);
    expect(document.spawns[0]!.creationNs).toBeGreaterThan(0);
  });

  it('catch task-spawn and task-exit stop where they happen, info tasks shows the table, and the run ends as boot\'s', async () => {
    const commands = ['catch task-spawn task-exit', 'continue', 'continue', 'info tasks', 'uncatch task-spawn task-exit', 'continue'] as const;
    const result = await debugScript(IMAGE, commands);
    const [, spawn, exit, info, , end] = outputs(result, commands);
    expect(spawn[0]).toBe('caught task-spawn: n0.c0 asks for tasks 2 to 16 (crtc)');
    expect(exit[0]).toMatch(/^caught task-exit: task \d+ on n\d+\.c0 exits with \d+$/);
    expect(info[0]).toBe('Tasks');
    const caughtTask = /task (\d+)/.exec(exit[0]!)![1];
    expect(info.some((line) => new RegExp(`^\\s+${caughtTask}\\s+1\\s.* exited `).test(line))).toBe(true);
    expect(info.filter((line) => / creating | running /.test(line)).length).toBeGreaterThan(0);
    expect(end.join('\n')).toContain('n0.c0 15 tasks summed 117957120 (expected 117957120)');
  });
});
