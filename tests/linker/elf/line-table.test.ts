// The DWARF line-table reader against GNU: each ISA's object is linked by ld with its
// code at 0x110000, and objdump's decoded line table of that executable must equal the
// rows clustervm reads from the object itself with .text placed at the same address.
// The source switches files (an inline function from a header) and has a function gcc
// inlines, so the table has file changes, non-statement rows and several sequences.
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElfObject, readLineTable } from '../../../linker/elf/index.js';
import { TempDir } from '../../support/index.js';
import { C_TARGETS, compileC, run } from './support/gnu-tools.js';

const dir = new TempDir('clustervm-line-table');
afterAll(() => dir.cleanup());

const TEXT = 0x110000;
dir.file('square.h', 'static inline int square(int x)\n{\n\treturn x * x;\n}\n');
const source = dir.file('lines.c', [
  '#include "square.h"',
  'int table[4];',
  'static int helper(int a, int b)',
  '{',
  '\tif (a > b)',
  '\t\treturn square(a) - b;',
  '\treturn a + square(b);',
  '}',
  'int api(int n)',
  '{',
  '\tint s = 0;',
  '\tfor (int i = 0; i < n; i++)',
  '\t\ts += helper(i, n - i);',
  '\ttable[n & 3] = s;',
  '\treturn s;',
  '}',
  'int other(int x) { return x + 1; }',
  '',
].join('\n'));

/** objdump's decoded rows as `file line address stmt`, with `-` for an end of sequence. */
function gnuRows(objdump: string, executable: string): string[] {
  return run(objdump, ['--dwarf=decodedline', '-w', executable]).split('\n').flatMap((line) => {
    const row = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+\d+)?\s*(x?)\s*$/.exec(line);
    if (!row) return [];
    return [row[2] === '-' ? `end ${Number(row[3])}` : `${row[1]} ${row[2]} ${Number(row[3])} ${row[4] === 'x'}`];
  });
}

describe('readLineTable', () => {
  it.each(C_TARGETS)('$name: the rows of ld and objdump, read from the unlinked object', (target) => {
    const name = target.name.replace(/\W+/g, '-');
    const objectPath = dir.join(`${name}.o`);
    const object = readElfObject(objectPath, compileC(target, source, objectPath));
    const executable = dir.join(`${name}.exe`);
    run(target.link[0]!, [...target.link.slice(1), `-Ttext=0x${TEXT.toString(16)}`, '-e', '0', '--noinhibit-exec', objectPath, '-o', executable]);
    const text = object.sections.find((s) => s.name === '.text')!.index;
    const ours = readLineTable(object, (index) => (index === text ? TEXT : undefined)).flatMap((sequence) => [
      ...sequence.rows.map((row) => `${basename(row.file)} ${row.line} ${row.address} ${row.isStmt}`),
      `end ${sequence.end}`,
    ]);
    const gnu = gnuRows(target.readelf.replace(/readelf$/, 'objdump'), executable);
    expect(gnu.length).toBeGreaterThan(20);
    expect(ours).toEqual(gnu);
    expect(ours.some((row) => row.startsWith('square.h '))).toBe(true);
  });

  it('names files as the compiler was given them and gives their absolute path', () => {
    const target = C_TARGETS[0]!;
    const objectPath = dir.join('paths.o');
    const object = readElfObject(objectPath, compileC(target, source, objectPath));
    const text = object.sections.find((s) => s.name === '.text')!.index;
    const rows = readLineTable(object, (index) => (index === text ? TEXT : undefined)).flatMap((sequence) => sequence.rows);
    expect(new Set(rows.map((row) => row.path))).toEqual(new Set([source, dir.join('square.h')]));
  });
});
