// The C compiler driver: Debian's cross compilers with clustervm's fixed flags, an object
// cache keyed by the source, the headers, the flags and the compiler, and one clear line
// for a source gcc refuses.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES, ISAS, type IsaName } from '../../isa/index.js';
import { CCompileError, compileC } from '../../linker/index.js';
import { REPO_ROOT, TempDir, escapeRegExp, expectSingleErrorLine, runCli } from '../support/index.js';

const tmp = new TempDir('clustervm-c-compiler');
afterAll(() => tmp.cleanup());

/** ELF class, byte order and machine each ISA's objects must have (the ELF and psABI numbers). */
const ELF_IDENTITY: Record<IsaName, { readonly elfClass: number; readonly bigEndian: boolean; readonly machine: number }> = {
  'x86-32': { elfClass: 1, bigEndian: false, machine: 3 },
  'x86-64': { elfClass: 2, bigEndian: false, machine: 62 },
  sparc32: { elfClass: 1, bigEndian: true, machine: 2 },
  sparc64: { elfClass: 2, bigEndian: true, machine: 43 },
};

const CACHE = join(REPO_ROOT, 'build', 'c-objects');

describe('compileC', () => {
  it.each(ISA_NAMES)('%s: a relocatable ELF object of the right class, byte order and machine', (isa) => {
    const dir = tmp.join(isa);
    tmp.file(`${isa}/answer.c`, 'int answer(int x) { return x * 6 + 0; }\n');
    const object = compileC(isa, dir, 'answer.c').bytes;
    const view = new DataView(object.buffer, object.byteOffset, object.byteLength);
    const { elfClass, bigEndian, machine } = ELF_IDENTITY[isa];
    expect([...object.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect([object[4], object[5]]).toEqual([elfClass, bigEndian ? 2 : 1]);
    expect(view.getUint16(16, !bigEndian)).toBe(1); // ET_REL
    expect(view.getUint16(18, !bigEndian)).toBe(machine);
    expect(ISAS[isa].elfMachine).toBe(machine);
  });

  it('a second compile of the same source is served from the cache; a changed source compiles again', () => {
    tmp.file('cache/twice.c', 'int twice(int x) { return 2 * x; }\n');
    const first = compileC('x86-32', tmp.join('cache'), 'twice.c');
    expect(dirname(first.path)).toBe(CACHE);
    expect(readFileSync(first.path).equals(first.bytes)).toBe(true);
    const written = statSync(first.path).mtimeMs;
    const again = compileC('x86-32', tmp.join('cache'), 'twice.c');
    expect(again).toEqual(first);
    expect(statSync(first.path).mtimeMs).toBe(written);
    tmp.file('cache/twice.c', 'int twice(int x) { return x + x + 1; }\n');
    const changed = compileC('x86-32', tmp.join('cache'), 'twice.c');
    expect(changed.path).not.toBe(first.path);
    expect(Buffer.from(changed.bytes).equals(Buffer.from(first.bytes))).toBe(false);
    expect(readFileSync(first.path).equals(first.bytes)).toBe(true);
  });

  it('gcc\'s first error names the file and line as the image writes them', () => {
    tmp.file('broken/src/bad.c', 'int ok(void) { return 1; }\nint bad(void) {\n    return missing;\n}\n');
    expect(() => compileC('sparc64', tmp.join('broken'), 'src/bad.c')).toThrow(CCompileError);
    expect(() => compileC('sparc64', tmp.join('broken'), 'src/bad.c')).toThrow(/^src\/bad\.c:3:12: error: 'missing' undeclared/);
  });

  it('clustervm boot: a C program gcc refuses is one line naming the image field, exit 2', async () => {
    tmp.file('cli/src/bad.c', 'int main(int node, int core) {\n    return node + ;\n}\n');
    const image = tmp.image('cli/bad.json', { name: 'bad-c', nodes: [{ isa: 'x86-64', cores: 1, programs: [{ source: 'src/bad.c' }] }] });
    const result = await runCli(['boot', image]);
    expect(result.code).toBe(2);
    expect(expectSingleErrorLine(result)).toMatch(
      new RegExp(`^clustervm: ${escapeRegExp(image)}: nodes\\[0\\]\\.programs\\[0\\]\\.source: src/bad\\.c:2:19: error: expected expression before ';' token$`));
  });
});
