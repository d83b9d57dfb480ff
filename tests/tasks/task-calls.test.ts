// The tasking calls one by one: the assembly libraries images/lib/task-<flavour>.s
// (task_map, rfork, task_wait, migrate, task_exit, task_id, parent_id) driven by the
// assembly programs in programs/, on x86-32, x86-64 and sparc32; and from C on all four
// ISAs, cvm_task_exit from a nested call, task and parent ids, negative and (on 64-bit
// ISAs) wider than 32-bit exit values through cvm_task_wait's int64.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { IsaName } from '../../isa/index.js';
import { REPO_ROOT, TempDir, expectCleanExit, flavourOf, runImage } from '../support/index.js';
import { writeTaskImage } from './task-images.js';

const tmp = new TempDir('clustervm-task-calls');
afterAll(() => tmp.cleanup());

const PROGRAMS = fileURLToPath(new URL('programs/', import.meta.url));

/** Node 0 runs the program; nodes 1..3 link it and the library, idle, and take the tasks. */
function assemblyImage(isa: IsaName): string {
  const program = { source: join(PROGRAMS, `tasks-${isa}.s`) };
  const modules = [{ name: 'task', source: join(REPO_ROOT, 'images', 'lib', `task-${flavourOf(isa)}.s`) }];
  return tmp.image(`asm-${isa}.json`, {
    name: `asm-${isa}`, interconnect: { latencyNs: 20_000, bandwidthMbps: 1000 },
    tasks: { sizeKiB: 256, stackKiB: 64, transport: 'window' },
    nodes: [
      { isa, cores: 1, programs: [program], modules },
      { isa, cores: 1, count: 3, programs: [{ ...program, cores: [] }], modules },
    ],
  });
}

describe.each(['x86-32', 'x86-64', 'sparc32'] as const)('%s assembly', (isa) => {
  it('the task library from assembly: task_map, rfork by crtc, migrate, task_exit and return, task_id and parent_id, task_wait\'s values', async () => {
    const image = assemblyImage(isa);
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expectCleanExit(image, run.cores);
    // The program's arithmetic: task k reads the word main stored in page k - 2 (40, then 2).
    const valueOf = (task: number, word: number) => word * 100 + 1 * 10 + task;
    expect(run.cores[0]!.result).toBe(String(valueOf(2, 40) + valueOf(3, 2)));
    const [, migrated, exited] = run.inspected;
    expect(migrated).toMatchObject({ id: 2, parent: 1, node: 3, migrations: 1, phase: 'exited', exitValue: BigInt(valueOf(2, 40)), pagesUntouched: 1 });
    expect(exited).toMatchObject({ id: 3, parent: 1, node: 2, migrations: 0, phase: 'exited', exitValue: BigInt(valueOf(3, 2)),
      pagesFetched: 1, bytesMoved: 4096, pagesUntouched: 1 });
  });
});

/**
 * Three tasks on nodes 1..3; each ends through cvm_task_exit called from a nested
 * routine with -(id * 1000 + parent id), times 2^32 on a 64-bit ISA; the parent prints
 * its own ids and the values.
 */
const identities = `#include <clustervm.h>
static void finish(long value) { cvm_task_exit(value); }
static long ident(long scale) {
    long value = -((long)cvm_task_id() * 1000 + cvm_parent_id());
#if defined(__x86_64__) || defined(__arch64__)
    value *= scale;
#else
    (void)scale;
#endif
    finish(value);
    return 1;
}
int main(int node, int core) {
    (void)node; (void)core;
    uint32_t nodes[3] = { 1, 2, 3 };
    long scale = 1;
#if defined(__x86_64__) || defined(__arch64__)
    scale = 4294967296L;
#endif
    int first = cvm_rfork(ident, scale, nodes, 3, CVM_FLAT_CONCURRENT);
    printf("task %d parent %d first %d\\n", cvm_task_id(), cvm_parent_id(), first);
    for (int i = 0; i < 3; i++) printf("%lld\\n", (long long)cvm_task_wait(first + i));
    return 0;
}
`;

describe.each([['x86-32', 1n], ['sparc32', 1n], ['x86-64', 1n << 32n], ['sparc64', 1n << 32n]] as const)('%s C', (isa, scale) => {
  it('cvm_task_exit from a nested call ends the task with its value; ids and parents; negative and word-wide values arrive whole', async () => {
    const image = writeTaskImage(tmp, `ids-${isa}`, { isa, workers: 3, source: identities });
    const run = await runImage(image, { inspect: (cluster) => cluster.kernel.tasks!.list() });
    expectCleanExit(image, run.cores);
    const values = [2, 3, 4].map((id) => -BigInt(id * 1000 + 1) * scale);
    expect(run.console).toEqual(['n0.c0 task 1 parent 0 first 2', ...values.map((value) => `n0.c0 ${value}`)]);
    expect(run.inspected.map((task) => [task.id, task.parent, task.exitValue])).toEqual([
      [1, 0, null], ...values.map((value, i) => [i + 2, 1, value]),
    ]);
  });
});
