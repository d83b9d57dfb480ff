// gdb's `monitor` runs the console's commands (qRcmd): their output reaches gdb as the
// console prints it; commands that would run the cores behind gdb are refused.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RspClient } from './support/rsp-client.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('gdb monitor commands', () => {
  it('images/dsm-counter.json: monitor info dsm, cores and catch commit, then a caught commit', async () => {
    stub = await startStub('images/dsm-counter.json');
    const output = await runGdb(stub.server.port, ['monitor info dsm', 'monitor cores', 'monitor catch commit', 'continue', 'monitor time']);
    expect(output).toContain('DSM: 4096-byte pages, broadcast location, global time 0');
    expect(output).toMatch(/\* {2}n0\.c0 {2}x86-32 {2}ready {3}0x102000 <firmware> +0 +0/);
    expect(output).toContain('catching commit');
    expect(output).toMatch(/Thread \d+\.\d+ received signal SIGTRAP/);
    expect(output).toContain('DSM global time 1');
    expect(stub.session.catches.has('commit')).toBe(true);
  });

  it('images/flink.json: monitor relink re-links f; monitor continue is refused', async () => {
    stub = await startStub('images/flink.json');
    const output = await runGdb(stub.server.port, ['monitor continue', 'monitor relink f f.lwp', 'monitor info bindings']);
    expect(output).toContain("error: monitor continue: the cores run under gdb's control; use gdb's own command");
    expect(output).toMatch(/relink f -> f\.lwp on node 0 committed: decided at \d+ ns, every replica acknowledged at \d+ ns/);
    expect(output).toMatch(/^f +weak +f\.lwp +mediator/m);
  });

  it('answers a malformed qRcmd with an error and the next request normally', async () => {
    stub = await startStub('images/hello-x86.json');
    const rsp = await RspClient.connect(stub.server.port);
    try {
      expect(await rsp.request('qRcmd,zz')).toBe('E01');
      expect(await rsp.request('qC')).toBe('QCp1.1');
    } finally {
      rsp.close();
    }
  });
});
