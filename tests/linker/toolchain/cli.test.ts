// Issue 10, items 9 and 11 as a user meets them: `clustervm boot` of an image whose
// program keystone would mis-assemble, crash on or hang on prints one line naming the
// .s file and line and exits 2.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSingleErrorLine, runCli, TempDir } from '../../support/index.js';
import { FIXTURES, fixtureIsa } from './support.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const CASES = [
  { fixture: 'silent/x86-32.sum-of-kernel-symbols.s', line: 3, reason: 'keeps only the last symbol of [USER_DATA + STACK_BYTES]' },
  { fixture: 'silent/sparc32.trap-number.s', line: 3, reason: "the trap number '0x1000' must be a constant from 0 to 127" },
  { fixture: 'silent/sparc64.xword-label.s', line: 6, reason: "keystone puts the low 32 bits of 'main' in the high half" },
  { fixture: 'silent/x86-64.negated-symbol.s', line: 3, reason: 'as a memory load [STACK_BYTES]' },
  { fixture: 'hostile/sparc32.register-label.s', line: 4, reason: "'%g1' is not a label name" },
  { fixture: 'hostile/x86-64.only-entry-label.s', line: 2, reason: 'the source assembles to no bytes' },
  { fixture: 'hostile/sparc64.balign-1gib.s', line: 5, reason: '.balign 0x40000000: the alignment must be a constant' },
];

describe.concurrent('clustervm boot: a source keystone cannot take is one error line, exit 2', () => {
  it.each(CASES)('$fixture', async ({ fixture, line, reason }) => {
    const name = fixture.split('/')[1]!;
    tmp.file(name, readFileSync(`${FIXTURES}/${fixture}`));
    const image = tmp.image(`${name}.json`, { name: 'hostile', nodes: [{ isa: fixtureIsa(name), cores: 1, programs: [{ source: name }] }] });
    const error = expectSingleErrorLine(await runCli(['boot', image]));
    // Errors name the source as the image writes it.
    const prefix = `clustervm: ${name}:${line}: `;
    expect(error.startsWith(prefix), error).toBe(true);
    expect(error.slice(prefix.length)).toContain(reason);
  });

  it('a stray \\x01 on an x86-32 line (keystone looped forever)', async () => {
    tmp.file('stray.s', 'main:\n    xor eax, eax \x01\n    ret\n');
    const image = tmp.image('stray.json', { name: 'stray', nodes: [{ isa: 'x86-32', cores: 1, programs: [{ source: 'stray.s' }] }] });
    const error = expectSingleErrorLine(await runCli(['boot', image]));
    expect(error).toBe(`clustervm: stray.s:2: character U+0001 is not allowed outside comments (keystone takes printable ASCII)`);
  });
});
