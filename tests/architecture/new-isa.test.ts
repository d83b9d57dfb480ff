import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/index.js';
import { ScratchCopy } from './scratch-copy.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// isa/isa.ts opens with the checklist for adding an ISA: the files whose per-ISA tables
// the compiler names. Here a fake ISA joins the record in a scratch copy, and the files
// `tsc` then rejects must be exactly that list: a table that guesses instead of asking
// the record (a `startsWith('sparc')`, a `default:`) would compile and be missing.

const FAKE = `  mips32: {
    name: 'mips32', elfMachine: 2, family: 'sparc', dialect: 'sparc-v8', wordBytes: 4, littleEndian: false, pageBytes: 0x1000,
    instructionAlign: 4, longestInstruction: 4, delaySlots: true, pcAtTrap: 'on-trap', trapBase: 0x80,
    registers: { pc: 'pc', sp: 'sp', returnAddress: 'o7', bootInfo: 'a0', coreId: 'a1' },
  },
`;

/** The `.ts` files the checklist in isa/isa.ts names. */
function checklistFiles(source: string): string[] {
  const header = source.slice(0, source.indexOf('export const ISA_NAMES'));
  const checklist = header.slice(header.indexOf('Adding an ISA'));
  return [...new Set([...checklist.matchAll(/([\w-]+(?:\/[\w-]+)*\/[\w-]+\.ts)\b/g)].map((m) => m[1]!))]
    .filter((path) => path !== 'isa/isa.ts' && !path.startsWith('tests/'))
    .sort();
}

it('a new ISA in the record makes the compiler name exactly the files of the checklist', () => {
  const isaSource = readFileSync(join(REPO_ROOT, 'isa/isa.ts'), 'utf8');
  const expected = checklistFiles(isaSource);
  expect(expected.length).toBeGreaterThan(5);

  using copy = new ScratchCopy();
  copy.write('isa/isa.ts', isaSource
    .replace("'sparc32', 'sparc64'] as const;", "'sparc32', 'sparc64', 'mips32'] as const;")
    .replace(/^};$/m, `${FAKE}};`));
  const result = copy.npmRun('typecheck');
  expect(result.status).not.toBe(0);
  const named = [...new Set([...result.output.matchAll(/^([\w./-]+\.ts)\(\d+,\d+\): error/gm)].map((m) => m[1]!))].sort();
  expect(named).toEqual(expected);
});
