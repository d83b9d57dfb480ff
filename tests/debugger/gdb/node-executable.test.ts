// The stand-in executable the stub hands gdb for a node: GNU binutils read it without a
// warning, its sections lie where the linker placed the C objects' sections, and the
// line table of its joined DWARF (program and runtime) equals what clustervm reads
// from the objects themselves.
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { bootImage } from '../../../emulator/index.js';
import { DebugSession } from '../../../emulator/debugger/index.js';
import { nodeExecutablePath } from '../../../emulator/debugger/gdb/node-executable.js';

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
});
