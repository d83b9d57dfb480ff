// The stand-in executable the stub hands gdb for a node: GNU binutils read it without a
// warning, its sections lie where the linker placed the C objects' sections, and the
// line table of its joined DWARF (program and runtime) equals what clustervm reads
// from the objects themselves. Assembly modules and the mediator are code sections with
// their labels as symbols, which gdb breaks on by name.
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { bootImage } from '../../../emulator/index.js';
import { DebugSession } from '../../../emulator/debugger/index.js';
import { nodeExecutablePath } from '../../../emulator/debugger/gdb/node-executable.js';
import { runGdb } from './support/run-gdb.js';
import { startStub } from './support/stub.js';

const BINUTILS: Record<IsaName, string> = {
  'x86-32': 'i686-linux-gnu-', 'x86-64': '', sparc32: 'sparc64-linux-gnu-', sparc64: 'sparc64-linux-gnu-',
};

function tool(isa: IsaName, name: string, args: readonly string[]): { stdout: string; stderr: string } {
  const run = spawnSync(`${BINUTILS[isa]}${name}`, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error || run.status !== 0) throw new Error(`${BINUTILS[isa]}${name} ${args.join(' ')}: ${run.stderr || String(run.error)}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));

describe('the node executable', () => {
  it.each(ISA_NAMES)('%s: readelf and objdump read it; its lines are the objects\' lines', async (isa) => {
    const cluster = await bootImage(`tests/debugger/gdb/images/c-chain-${isa}.json`, { maxInstructions: 1_000_000, console: () => {} });
    closers.push(() => cluster.close());
    const session = new DebugSession(cluster, 1000);
    const path = nodeExecutablePath(cluster.node(0));
    expect(basename(path)).toMatch(new RegExp(`^${isa}-[0-9a-f]{32}\\.elf$`));

    const header = tool(isa, 'readelf', ['-hSW', path]);
    expect(header.stderr).toBe('');
    expect(header.stdout).toMatch(/Type:\s+EXEC/);
    for (const object of session.placedObjects(0)) {
      for (const section of object.sections.filter((s) => s.size > 0 && !s.name.includes('str'))) {
        expect(header.stdout).toMatch(new RegExp(`\\s${section.name.replace(/\./g, '\\.')}\\s+\\S+\\s+0*${section.address.toString(16)}\\s`));
      }
    }

    const decoded = tool(isa, 'objdump', ['--dwarf=decodedline', '-w', path]);
    expect(decoded.stderr).toBe('');
    const gnu = decoded.stdout.split('\n').flatMap((line) => {
      const row = /^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)(?:\s+\d+)?\s*(x?)\s*$/.exec(line);
      return row ? [`${row[1]} ${row[2]} ${Number(row[3])} ${row[4] === 'x'}`] : [];
    });
    const lines = session.sourceLines(0);
    const ours = gnu.map((row) => {
      const address = Number(row.split(' ')[2]);
      const found = lines.lineAt(address);
      return found && `${basename(found.file)} ${found.line} ${address} ${found.isStmt}`;
    });
    expect(gnu.length).toBeGreaterThan(100);
    // lineAt gives the last row at an address; objdump lists every row, so compare those.
    const lastAtEach = gnu.filter((row, i) => row.split(' ')[2] !== gnu[i + 1]?.split(' ')[2]);
    expect(ours.filter((_, i) => gnu[i]!.split(' ')[2] !== gnu[i + 1]?.split(' ')[2])).toEqual(lastAtEach);
  });

  it.each(['x86-32', 'sparc32'] as const)('%s assembly: every label of every module, and the mediator, is a symbol where the linker put it; gdb breaks on one by name', async (isa) => {
    const image = isa === 'x86-32' ? 'images/flink.json' : 'images/hello-sparc.json';
    const stub = await startStub(image);
    closers.push(() => void stub.stop());
    const node = stub.cluster.node(0);
    const listed = tool(isa, 'readelf', ['-sW', nodeExecutablePath(node)]);
    expect(listed.stderr).toBe('');
    const symbols = listed.stdout.split('\n').flatMap((line) => {
      const row = /^\s*\d+: ([0-9a-f]+)\s+\d+ (FUNC|NOTYPE)\s+GLOBAL\s+DEFAULT\s+\d+ (\S+)$/.exec(line);
      return row ? [`${row[3]} ${Number.parseInt(row[1]!, 16)} ${row[2]}`] : [];
    });
    const plan = node.linker.plan;
    const expected = [
      ...plan.modules.flatMap((module) => [...module.labels].map(([label, address]) => `${label} ${address} ${module.exports.has(label) ? 'FUNC' : 'NOTYPE'}`)),
      `mediator ${plan.mediator.entry} FUNC`, `mediator_failsafe ${plan.mediator.failsafeEntry} FUNC`,
    ];
    expect(symbols).toEqual(expected);
    const [name, address] = isa === 'x86-32' ? ['foo', plan.modules.find((m) => m.exports.has('foo'))!.exports.get('foo')!] : ['print', plan.modules[0]!.labels.get('print')!];
    const output = await runGdb(stub.server.port, [`break *${stub.address(0, 'main')}`, 'continue', 'delete', `break ${name}`, 'continue', 'info symbol $pc']);
    expect(output).toContain(`Breakpoint 2 at 0x${address.toString(16)}`);
    expect(output).toMatch(new RegExp(`hit Breakpoint 2(?:\\.1)?, 0x0*${address.toString(16)} in ${name} \\(\\)`));
    expect(output).toMatch(new RegExp(`^${name} in section \\.text\\.`, 'm'));
  });
});
