// Where a C module's parts go and what the linker refuses: code and read-only data in the
// read-execute code region, writable data in node RAM below the stacks, shared by the
// node's cores; a symbol defined twice, data pointing into another module, an object
// of another ISA.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES } from '../../isa/index.js';
import { LINK_AREA, PROGRAM_BASE, stacksBottom, USER_DATA } from '../../emulator/index.js';
import { TempDir, runImage } from '../support/index.js';

const tmp = new TempDir('clustervm-c-layout');
afterAll(() => tmp.cleanup());

const WHERE = `#include <clustervm.h>
int counter = 5;
int zeroed;
const int constant = 7;
int main(int node, int core) {
    (void)node;
    if (core == 0) printf("main %p constant %p counter %p zeroed %p\\n", (void *)main, (void *)&constant, (void *)&counter, (void *)&zeroed);
    for (int i = 0; i < 10; i++) {
        counter++;
        cvm_yield();
    }
    if (core == 1) cvm_report(counter + zeroed + constant);
    return 0;
}
`;

function image(name: string, isa: string, source: string, cores = 1): string {
  tmp.file(`${name}.c`, source);
  return tmp.image(`${name}.json`, { name, nodes: [{ isa, cores, ramMiB: 4, programs: [{ source: `${name}.c` }] }] });
}

describe('a C module in node memory', () => {
  it.each(ISA_NAMES)('%s: code and constants in the code region, data below the stacks, shared by the cores', async (isa) => {
    const run = await runImage(image(`where-${isa}`, isa, WHERE, 2));
    const line = run.console.find((l) => l.includes('main 0x'));
    const [main, constant, counter, zeroed] = [...line!.matchAll(/0x([0-9a-f]+)/g)].map((m) => parseInt(m[1]!, 16));
    for (const code of [main!, constant!]) {
      expect(code).toBeGreaterThanOrEqual(PROGRAM_BASE);
      expect(code).toBeLessThan(LINK_AREA);
    }
    for (const data of [counter!, zeroed!]) {
      expect(data).toBeGreaterThanOrEqual(USER_DATA);
      expect(data).toBeLessThan(stacksBottom(4 * 0x10_0000, 2));
    }
    // One counter for both cores: core 1's report (after its own 10 increments, the
    // cores taking turns at each yield) includes core 0's increments.
    const reported = Number(run.cores.find((c) => c.core === 1)!.result);
    expect(reported).toBeGreaterThan(5 + 10 + 7);
    expect(reported).toBeLessThanOrEqual(5 + 20 + 7);
  });

  it('a store to a const stops the core with a write-protection fault', async () => {
    const run = await runImage(image('const-store', 'x86-32', `const int fixed = 1;
int main(int node, int core) { (void)node; (void)core; *(volatile int *)&fixed = 2; return 0; }
`));
    const core = run.cores[0]!;
    expect(core.status).toBe('faulted');
    expect(core.fault?.reason).toMatch(/write/);
  });
});

describe('what the C linker refuses', () => {
  it('a function the runtime defines too names both files', async () => {
    await expect(runImage(image('twice', 'sparc32', `unsigned long strlen(const char *s) { return 0; }
int main(int node, int core) { return node + core + (int)strlen("x"); }
`))).rejects.toThrow(/nodes\[0\]\.programs\[0\]\.source: strlen is defined twice: in twice\.c and in images\/lib\/c\/runtime\.c$/);
  });

  it('a function no module defines stops the core at its call, as an assembly .extern does', async () => {
    const run = await runImage(image('undefined', 'x86-64', `int elsewhere(int);
int main(int node, int core) { return elsewhere(node + core); }
`));
    expect(run.cores[0]!.status).toBe('faulted');
    expect(run.cores[0]!.fault?.reason).toMatch(/^unresolved symbol elsewhere called from undefined at pc 0x[0-9a-f]+/);
  });

  it('data that points into another module is refused by name', async () => {
    await expect(runImage(image('pointer', 'sparc64', `int elsewhere(int);
int (*const table[1])(int) = { elsewhere };
int main(int node, int core) { return table[0](node + core); }
`))).rejects.toThrow(/pointer\.c: elsewhere is another module's, and only code may refer to another module/);
  });

  it('an ELF object of another ISA is refused by name', async () => {
    tmp.file('other.c', 'int main(int node, int core) { return node + core; }\n');
    execFileSync('gcc', ['-c', '-O2', '-o', tmp.join('other.o'), tmp.join('other.c')]);
    const path = tmp.image('other.json', { name: 'other', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'other.o' }] }] });
    await expect(runImage(path)).rejects.toThrow(/other\.o is an object for x86-64, not for x86-32/);
  });
});
