// gdb's reverse execution (`bs`, `bc`) over the real gdb-multiarch: the stub goes back by
// restoring a snapshot the session kept and running forward again, so every register
// must come back exactly, on each ISA, and a run after going back ends as a free one.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootImage } from '../../../emulator/index.js';
import { RspClient } from './support/rsp-client.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { startStub, type Stub } from './support/stub.js';

let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const image = (isa: string) => `tests/debugger/gdb/images/c-chain-${isa}.json`;

/** What gdb printed between `echo <name>` markers, by name. */
function sections(output: string): Map<string, string> {
  const parts = output.split(/^==(\w+)==$/m);
  const found = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) found.set(parts[i]!, parts[i + 1]!.trim());
  return found;
}

const mark = (name: string) => `echo ==${name}==\\n`;

describe('gdb reverse-stepi and reverse-continue', () => {
  it.each(['x86-32', 'x86-64', 'sparc32', 'sparc64'])('%s: back 3 instructions is where it was, every register; back to the previous hit', async (isa) => {
    stub = await startStub(image(isa));
    const output = await runGdb(stub.server.port, [
      'break step', 'continue', mark('first'), 'info registers', mark('c'), 'continue', mark('second'), 'info registers',
      mark('s'), 'stepi', 'stepi', 'stepi', mark('ahead'), 'info registers',
      mark('rs'), 'reverse-stepi', 'reverse-stepi', 'reverse-stepi', mark('back'), 'info registers',
      mark('rc'), 'reverse-continue', mark('previous'), 'info registers',
      mark('rc2'), 'reverse-continue', mark('end'),
    ]);
    const shown = sections(output);
    const second = shown.get('second')!;
    expect(second).toMatch(/(pc|rip|eip) +0x[0-9a-f]+ +(0x[0-9a-f]+ )?<step(\+\d+)?>/);
    expect(shown.get('ahead')).not.toBe(second);
    expect(shown.get('back')).toBe(second);
    expect(shown.get('rc')).toMatch(/Breakpoint 1, (0x[0-9a-f]+ in )?step/);
    expect(shown.get('previous')).toBe(shown.get('first'));
    expect(shown.get('previous')).not.toBe(second);
    expect(shown.get('rc2')).toContain('No more reverse-execution history.');
  });

  it('offers ReverseStep and ReverseContinue; after a register written by gdb bs says it is at the start of history, and why', async () => {
    stub = await startStub('images/flink.json');
    const client = await RspClient.connect(stub.server.port);
    try {
      expect((await client.request('qSupported:multiprocess+')).split(';')).toEqual(expect.arrayContaining(['ReverseStep+', 'ReverseContinue+']));
      expect(await client.request('P0=07000000')).toBe('OK');
      expect(stub.session.core({ node: 0, core: 0 }).readRegister('eax')).toBe(7n);
      client.write('$bs#d5');
      const notice = await client.reply();
      expect(Buffer.from(notice.slice(1), 'hex').toString()).toBe('clustervm: no reverse-execution history: history starts after a register written by gdb\n');
      expect(await client.reply()).toBe('T05thread:p1.1;replaylog:begin;');
    } finally {
      client.close();
    }
  });

  it('a run that went back and forth ends as a free run: console, instructions and virtual time', async () => {
    const free: string[] = [];
    const cluster = await bootImage('images/flink.json', { maxInstructions: 10_000_000, console: (line) => free.push(line) });
    const freeCores = (() => {
      try {
        cluster.run({ quantum: 1000 });
        return cluster.cores.map((core) => [core.instructions, core.summary().virtualNs]);
      } finally {
        cluster.close();
      }
    })();
    stub = await startStub('images/flink.json');
    const foo = stub.address(0, 'foo');
    const output = await runGdb(stub.server.port, [
      `break *${foo}`, 'continue', 'continue', 'continue', 'reverse-continue', 'stepi', 'reverse-stepi', 'reverse-stepi',
      'reverse-continue', 'delete', 'continue',
    ]);
    expect(output).toContain('[Inferior 1 (process 1) exited normally]');
    expect(stub.console).toEqual(free);
    expect(stub.cluster.cores.map((core) => [core.instructions, core.summary().virtualNs])).toEqual(freeCores);
  });
});
