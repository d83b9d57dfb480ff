// Issue 10, item 11: sources that crashed keystone (WebAssembly traps, stack overflows,
// running out of memory) or hung it. Each now ends in one AssemblyError naming the
// file and line, on every ISA, and the assembler keeps working afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assembler, AssemblyError } from '../../../linker/index.js';
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { assemble, assemblyError, fixtureIsa, readFixture } from './support.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});
afterAll(() => assembler.close());

const FIXTURES = [
  { fixture: 'sparc32.register-label.s', line: 4, reason: /'%g1' is not a label name/ },
  { fixture: 'sparc64.unterminated-string.s', line: 5, reason: /unterminated string literal/ },
  { fixture: 'x86-64.space-2gib.s', line: 4, reason: /\.space reserves 2147483647 bytes, over 1048576/ },
  { fixture: 'x86-32.fill-4gib.s', line: 4, reason: /\.fill reserves 4294967296 bytes, over 1048576/ },
  { fixture: 'sparc32.section-data.s', line: 5, reason: /\.section is not supported/ },
  { fixture: 'x86-64.only-entry-label.s', line: 2, reason: /the source assembles to no bytes/ },
  { fixture: 'sparc64.balign-1gib.s', line: 5, reason: /the alignment must be a constant from 1 to 4096 bytes/ },
  { fixture: 'x86-32.redefined-label.s', line: 4, reason: /label 'main' is already defined at line 2/ },
];

function program(isa: IsaName, body: string): string {
  return isa.startsWith('x86') ? `main:\n${body}\n    ret\n` : `main:\n${body}\n    retl\n    nop\n`;
}

describe('hostile sources end in one line naming the file and line', () => {
  it.each(FIXTURES)('$fixture', ({ fixture, line, reason }) => {
    const error = assemblyError(assembler, fixtureIsa(fixture), readFixture(`hostile/${fixture}`), fixture);
    expect({ file: error.file, line: error.line }).toEqual({ file: fixture, line });
    expect(error.reason).toMatch(reason);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  describe.each(ISA_NAMES)('%s', (isa) => {
    it('a source over 64 KiB (keystone trapped past ~78 KB and hung at 80 KB)', () => {
      const source = program(isa, Array.from({ length: 80 * 1024 / 8 }, () => '    nop').join('\n'));
      const error = assemblyError(assembler, isa, source);
      expect(error.reason).toMatch(/the source is \d+ bytes, over keystone's limit of 65536: split it into modules/);
      // The line holding the first byte past the limit.
      expect(error.line).toBe(source.slice(0, 64 * 1024 + 1).split('\n').length);
    });

    it.each([['\\x01', '\x01'], ['\\x7f', '\x7f'], ['é', 'é'], ['NUL', '\0']])('a stray %s on a line (keystone looped forever)', (_name, ch) => {
      const error = assemblyError(assembler, isa, program(isa, `    nop\n    nop ${ch}`));
      expect(error.line).toBe(3);
      expect(error.reason).toMatch(/character U\+[0-9A-F]{4}.* is not allowed outside comments/);
    });

    // Found by tests/fuzz/mutated-sources: keystone loops forever on each of these lines.
    it.each([
      ['a number before the mnemonic', '    -0x80000000  nop', /'-0x80000000' is not an instruction, a directive or a label/],
      ['a number glued to the mnemonic', '    0xffffffffffffffffnop', /'0xffffffffffffffffnop' is not an instruction/],
      ['a lone colon', ':', /':' is not an instruction, a directive or a label/],
      ['a register in a .globl name', '.globl main%g1:', /\.globl 'main%g1:': not a symbol name/],
      ['an operator in an .extern name', '.extern print_decim+al', /\.extern 'print_decim\+al': not a symbol name/],
    ])('%s (keystone looped forever)', (_name, line, reason) => {
      const before = program(isa, '    nop');
      const error = assemblyError(assembler, isa, `${before}${line}\n`);
      expect(error.line).toBe(before.split('\n').length);
      expect(error.reason).toMatch(reason);
    });

    it('a NUL byte after the program (keystone dropped the rest, and the entry moved into code bytes)', () => {
      const error = assemblyError(assembler, isa, `${program(isa, `    nop`)}\0\n`);
      expect(error.reason).toMatch(/U\+0000 \(NUL\)/);
    });

    it('1,000 nested parentheses and a 10,000-term sum (keystone overflowed its stack)', () => {
      const nested = `${'('.repeat(1000)}1${')'.repeat(1000)}`;
      expect(assemblyError(assembler, isa, `.set DEEP, ${nested}\n${program(isa, '')}`).reason)
        .toMatch(/parentheses nested 1000 deep, over keystone's limit of 32/);
      const sum = Array.from({ length: 10_000 }, () => '1').join('+');
      const long = assemblyError(assembler, isa, `.set LONG, 0\n.set SUM, ${sum}\n${program(isa, '')}`);
      expect(long.line).toBe(2);
      expect(long.reason).toMatch(/the line is 20009 characters long, over 4096/);
      const terms = Array.from({ length: 1000 }, () => '1').join('+');
      expect(assemblyError(assembler, isa, `.set SUM, ${terms}\n${program(isa, '')}`).reason)
        .toMatch(/an expression of 999 operators, over keystone's limit of 256/);
    });

    it('the assembler still works after every hostile source', () => {
      expect(assemble(assembler, isa, program(isa, `    nop`)).bytes.length).toBeGreaterThan(0);
    });
  });

  it('an error is an AssemblyError, never a keystone trap', () => {
    expect(assemblyError(assembler, 'sparc32', readFixture('hostile/sparc32.register-label.s'))).toBeInstanceOf(AssemblyError);
  });
});
