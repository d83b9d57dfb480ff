// Syscalls that read guest memory take the DSM's path, as the guest's own loads do, and
// transactions never lose writes without a word; through the CLI on every ISA.
// - SYS_WRITE of a page the node never touched faults it in (a page request, the round
//   trip in virtual time) and prints the committed bytes, not the core's stale copy.
// - SYS_WRITE inside a transaction puts the page in the read set: another node's commit
//   to it aborts the transaction, which prints the new bytes on its restart.
// - A nested SYS_TX_BEGIN is flattened: both writes commit with the outermost commit.
// - SYS_EXIT inside a transaction stops the core with a fault naming the lost writes.
// The cases call the CLI's main() in this process (a child per case was most of the
// suite's time: Node and tsx start-up); the last test runs the real process once and
// finds the same output and exit code.

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { outputLines, runCli } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { FAST_LAN, writeDsmImage } from './support/dsm-image.js';
import { exitInTransaction, nestedTransaction, writeInTransaction, writeUntouchedPage } from './support/syscall-programs.js';

const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function image(isa: IsaName, nodes: number, source: string): string {
  const { dir, path } = writeDsmImage({
    name: `syscall-memory-${isa}`, interconnect: FAST_LAN, groups: [{ isa, cores: 1, count: nodes, source }],
  });
  dirs.push(dir);
  return path;
}

interface BootJson {
  exitCode: number;
  cores: { node: number; status: string; result: string | null; fault: { reason: string } | null }[];
  console: string[];
  dsm: { nodes: { node: number; commits: number; requests: number }[]; pages: { page: number; requests: number; abortsTrueSharing: number }[] };
}

async function bootJson(path: string): Promise<BootJson> {
  const result = await runCliInProcess(['boot', path, '--json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as BootJson;
}

describe.each(ISAS)('%s: syscalls on DSM memory', (isa) => {
  it('SYS_WRITE of a DSM page the node never touched faults it in and prints the committed bytes', async () => {
    const json = await bootJson(image(isa, 2, writeUntouchedPage(isa, 'HELLO\n')));
    expect(json.cores.map((core) => core.status)).toEqual(['exited', 'exited']);
    expect(json.console).toEqual(['n1.c0 HELLO']);
    // Page 1 was requested twice: by node 0 for its write, by node 1 for the syscall.
    expect(json.dsm.pages.find((page) => page.page === 1)).toMatchObject({ requests: 2 });
  });

  it('SYS_WRITE inside a transaction reads into its read set: a commit to the page aborts it', async () => {
    const json = await bootJson(image(isa, 2, writeInTransaction(isa, 'HELLO\n', 'WORLD\n', 1_000_000)));
    expect(json.cores.map((core) => [core.status, core.result])).toEqual([['exited', null], ['exited', '1']]);
    expect(json.console).toEqual(['n1.c0 HELLO', 'n1.c0 WORLD']);
    expect(json.dsm.pages.find((page) => page.page === 1)).toMatchObject({ abortsTrueSharing: 1 });
  });

  it('a nested SYS_TX_BEGIN is flattened: the outermost commit commits both writes', async () => {
    const json = await bootJson(image(isa, 1, nestedTransaction(isa, 7, 8)));
    expect(json.cores.map((core) => [core.status, core.result, core.fault])).toEqual([['exited', '15', null]]);
    expect(json.dsm.nodes[0]).toMatchObject({ commits: 1 });
  });

  it('SYS_EXIT inside a transaction faults: its writes were not committed', async () => {
    const result = await runCliInProcess(['boot', image(isa, 1, exitInTransaction(isa))]);
    expect(result.code).toBe(1);
    const faults = outputLines(result.stdout).filter((line) => line.includes(' fault at pc '));
    expect(faults).toEqual([expect.stringMatching(
      /^n0\.c0 fault at pc 0x[0-9a-f]+ \((?:int 0x80|ta .*0x10)\): exit inside a transaction: its writes \(1 DSM page\) were not committed \(SYS_TX_BEGIN without SYS_TX_COMMIT\)$/)]);
  });
});

describe('the real clustervm process', () => {
  it('prints what main() printed in this process, with its exit code: a fault inside a transaction, then a DSM read', async () => {
    for (const path of [image('sparc64', 1, exitInTransaction('sparc64')), image('x86-32', 2, writeUntouchedPage('x86-32', 'HELLO\n'))]) {
      const [child, here] = [await runCli(['boot', path]), await runCliInProcess(['boot', path])];
      expect(child).toEqual(here);
    }
  });
});
