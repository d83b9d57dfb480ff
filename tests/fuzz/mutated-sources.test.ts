// The shipped guest sources, mutated line by line with what hostile or careless input
// holds: control bytes, non-ASCII, unbalanced quotes and parentheses, huge operands and
// directives keystone cannot take. Each either assembles or is refused with one
// AssemblyError naming the file and a line of it; nothing else may escape or hang.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { guestSymbols, loadToolchain, type Toolchain } from '../../emulator/index.js';
import { AssemblyError } from '../../linker/index.js';
import { type IsaName } from '../../isa/index.js';
import { REPO_ROOT } from '../support/index.js';
import { SeededRandom } from './seeded-random.js';

const MUTANTS = 200;
const SEED = 0x3001;
const ADDRESS = 0x110000;
const DSM = { base: 0x4000_0000, bytes: 0x40_0000, pageBytes: 0x2000, location: 'broadcast' as const };

const INSERTIONS: readonly string[] = [
  '\x00', '\x01', '\x7f', 'é', '"', "'", '(', ')', '[', ']', ',', ':', '%g1:', '\\', '+', '*',
  ' 0x7fffffff', ' 0xffffffffffffffff', ' -0x80000000', '(((((((((((((((((((((((((((((((',
];
const WHOLE_LINES: readonly string[] = [
  '.space 0x7fffffff', '.fill 0x40000000, 4, 0', '.balign 0x40000000', '.section .data', '.include "x.s"',
  '.incbin "x.bin"', '.ascii "abc', '.macro m\nm\n.endm\nm', '%g1:', 'main:', '.set X, X + 1',
  `.long ${Array.from({ length: 2000 }, (_, i) => i).join(' + ')}`,
];

function isaOf(file: string): IsaName[] {
  for (const isa of ['x86-32', 'x86-64', 'sparc32', 'sparc64'] as const) if (file.includes(isa)) return [isa];
  return file.includes('sparc') ? ['sparc32', 'sparc64'] : [];
}

function shippedSources(): { file: string; isa: IsaName; text: string }[] {
  const roots = ['images/programs', 'images/lib', 'images/dsm', 'images/channels', 'images/flink', 'firmware'];
  return roots.flatMap((root) => readdirSync(join(REPO_ROOT, root)).filter((f) => f.endsWith('.s')).flatMap((f) => {
    const file = join(REPO_ROOT, root, f);
    const isas = root === 'firmware' ? [f.replace(/\.s$/, '') as IsaName] : isaOf(f);
    return isas.map((isa) => ({ file, isa, text: readFileSync(file, 'utf8') }));
  }));
}

function mutateLine(line: string, random: SeededRandom): string {
  switch (random.below(4)) {
    case 0: {
      const at = random.below(line.length + 1);
      return `${line.slice(0, at)}${random.pick(INSERTIONS)}${line.slice(at)}`;
    }
    case 1:
      return line.slice(0, random.below(line.length + 1));
    case 2:
      return random.pick(WHOLE_LINES);
    default:
      return `${line}\n${line}`;
  }
}

describe('mutated sources', () => {
  let toolchain: Toolchain;
  beforeAll(async () => {
    toolchain = await loadToolchain();
  });

  it(`${MUTANTS} mutants each assemble or fail with one AssemblyError on a line of their file`, () => {
    const sources = shippedSources();
    expect(sources.length).toBeGreaterThan(10);
    const random = new SeededRandom(SEED);
    let assembled = 0;
    let refused = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const { file, isa, text } = random.pick(sources);
      const lines = text.split('\n');
      const at = random.below(lines.length);
      const mutated = mutateLine(lines[at]!, random);
      lines[at] = mutated;
      const label = `mutant ${i}: ${file} (${isa}) line ${at + 1} -> ${JSON.stringify(mutated.slice(0, 80))}`;
      try {
        toolchain.assembler.assemble(isa, lines.join('\n'), { address: ADDRESS, file, symbols: guestSymbols(DSM) });
        assembled++;
      } catch (error) {
        expect(error, label).toBeInstanceOf(AssemblyError);
        const failure = error as AssemblyError;
        expect(failure.file, label).toBe(file);
        expect(failure.line, label).toBeGreaterThanOrEqual(1);
        expect(failure.line, label).toBeLessThanOrEqual(lines.join('\n').split('\n').length);
        expect(failure.message, label).not.toContain('\n');
        refused++;
      }
    }
    expect(assembled).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(MUTANTS / 4);
  });
});
