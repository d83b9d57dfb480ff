// `clustervm boot IMAGE --gdb PORT` through the real CLI: it waits for gdb, lets it look
// and step, and once gdb detaches the run finishes and prints its summary.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../../support/index.js';
import { RspClient } from './support/rsp-client.js';

describe('clustervm boot --gdb', () => {
  it('serves gdb, then finishes the run after a detach', async () => {
    const child = spawn(process.execPath, [CLI, 'boot', 'images/hello-x86.json', '--gdb', '0'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', () => reject(new Error(`exited before serving gdb: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const rsp = await RspClient.connect(port);
    expect(await rsp.request('qfThreadInfo')).toBe('mp1.1,p1.2,p2.1,p2.2');
    expect(await rsp.request('vCont;s:p1.1')).toMatch(/^T05thread:p1\.1;/);
    expect(await rsp.request('D')).toBe('OK');
    expect(await exited).toBe(0);
    expect(stdout).toContain('hello from node 0 core 0');
    expect(stdout).toMatch(/^total\s/m);
  });
});
