// Tab completion of the console: command names, then the arguments a command takes
// (cores, the selected node's linker symbols), on a booted image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootImage, type Cluster } from '../../../emulator/index.js';
import { DebugSession } from '../../../emulator/debugger/index.js';
import { Shell } from '../../../emulator/debugger/console/shell.js';

let cluster: Cluster;
let shell: Shell;

beforeAll(async () => {
  cluster = await bootImage('images/flink.json', { maxInstructions: 1e6, console: () => {} });
  shell = new Shell(new DebugSession(cluster, 1000), () => {});
});

afterAll(() => cluster.close());

describe('console completion', () => {
  it('completes command names from a prefix', () => {
    const [candidates, word] = shell.complete('dis');
    expect(word).toBe('dis');
    expect(candidates).toContain('disas');
    expect(candidates.every((candidate) => candidate.startsWith('dis'))).toBe(true);
  });

  it('completes linker symbols of the selected node after break', () => {
    const [candidates, word] = shell.complete('break pri');
    expect(word).toBe('pri');
    expect(candidates).toContain('print_decimal');
  });

  it('completes core names after core', () => {
    const [candidates] = shell.complete('core n0.');
    expect(candidates).toEqual(['n0.c0', 'n0.c1', 'n0.c2', 'n0.c3']);
  });

  it('offers nothing for an unknown command', () => {
    expect(shell.complete('frobnicate x')[0]).toEqual([]);
  });
});
