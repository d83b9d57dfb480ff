// Issue 10, item 9: constructs keystone assembles to wrong bytes without a word (or
// refuses with a message that does not say what to write). Each is refused before
// keystone sees it, with one error naming the file and line; the form the error
// recommends is assembled and read back with capstone to show it gives the right value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_BASE } from '../../../emulator/index.js';
import { Assembler, Disassembler } from '../../../linker/index.js';
import { type IsaName } from '../../../isa/index.js';
import { assemble, assemblyError, fixtureIsa, readFixture, SYMBOLS } from './support.js';

let assembler: Assembler;
let disassembler: Disassembler;
beforeAll(async () => {
  [assembler, disassembler] = await Promise.all([Assembler.load(), Disassembler.load()]);
});
afterAll(() => assembler.close());

const symbol = (name: string) => SYMBOLS.get(name)!;
/** As capstone prints a number: decimal below 10. */
const hex = (value: number | bigint) => (value < 10 ? value.toString() : `0x${value.toString(16)}`);

interface Pitfall {
  readonly fixture: string;
  readonly line: number;
  readonly reason: RegExp;
}

const PITFALLS: readonly Pitfall[] = [
  { fixture: 'x86-32.sum-of-kernel-symbols.s', line: 3, reason: /keeps only the last symbol of \[USER_DATA \+ STACK_BYTES\].*\.set SUM, USER_DATA \+ STACK_BYTES/ },
  { fixture: 'x86-64.sum-of-set-constants.s', line: 5, reason: /keeps only the last symbol of \[BASE \+ PAGE\]/ },
  { fixture: 'x86-32.scaled-symbol.s', line: 3, reason: /drops the scale in \[eax \+ STACK_BYTES \* 2\]/ },
  { fixture: 'x86-64.negated-symbol.s', line: 3, reason: /as a memory load \[STACK_BYTES\]/ },
  { fixture: 'x86-32.number-before-symbol.s', line: 3, reason: /does not start with its symbol \('4 \+ USER_DATA'\).*USER_DATA \+ 4/ },
  { fixture: 'x86-64.minus-symbol-in-brackets.s', line: 3, reason: /as if STACK_BYTES were added/ },
  { fixture: 'x86-32.push-label.s', line: 3, reason: /cannot push a label on x86-32.*mov eax, message then push eax/ },
  { fixture: 'x86-32.include.s', line: 2, reason: /\.include is not supported/ },
  { fixture: 'sparc32.trap-number.s', line: 3, reason: /trap number '0x1000' must be a constant from 0 to 127/ },
  { fixture: 'sparc64.trap-number.s', line: 4, reason: /trap number 'MY_TRAP' must be a constant from 0 to 127/ },
  { fixture: 'sparc64.xword-label.s', line: 6, reason: /low 32 bits of 'main' in the high half.*\.word 0 then \.word main/ },
  { fixture: 'sparc64.incbin.s', line: 5, reason: /\.incbin is not supported/ },
  { fixture: 'sparc32.recursive-macro.s', line: 2, reason: /\.macro is not supported: keystone drops recursive macros/ },
  { fixture: 'sparc32.set-sum.s', line: 3, reason: /set takes one symbol or number.*\.set VALUE, USER_DATA \+ 2 and write set VALUE, %g1/ },
];

describe('keystone pitfalls are refused with the line and what to write instead', () => {
  it.each(PITFALLS)('$fixture', ({ fixture, line, reason }) => {
    const isa = fixtureIsa(fixture);
    const error = assemblyError(assembler, isa, readFixture(`silent/${fixture}`), fixture);
    expect(error.file).toBe(fixture);
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message.split('\n')).toHaveLength(1);
  });
});

function decode(isa: IsaName, source: string): string[] {
  const unit = assemble(assembler, isa, source);
  return disassembler.disassemble(isa, unit.bytes, PROGRAM_BASE).map((i) => `${i.mnemonic} ${i.operands}`.trim());
}

describe('the forms the README recommends assemble to the intended values (capstone read-back)', () => {
  for (const isa of ['x86-32', 'x86-64'] as const) {
    const wide = isa === 'x86-64' ? 'r' : 'e';
    it(`${isa}: .set SUM, A + B then [SUM]; [reg + SCALED]; .set NEG; symbol first`, () => {
      const sum = symbol('USER_DATA') + symbol('STACK_BYTES');
      const scaled = 2 * symbol('DSM_PAGE');
      const lines = decode(isa, [
        '.set SUM, USER_DATA + STACK_BYTES',
        '.set TWO_PAGES, 2 * DSM_PAGE',
        '.set NEG, -STACK_BYTES',
        '.set DSM_NEXT, DSM_BASE + DSM_PAGE',
        `main: lea ${wide}bx, [SUM]`,
        `lea ${wide}bx, [${wide}ax + TWO_PAGES]`,
        'mov eax, NEG',
        'mov eax, USER_DATA + 4',
        'mov eax, [DSM_NEXT]',
        'ret',
      ].join('\n'));
      // x86-64 addresses an absolute operand relative to the next instruction (lea is 7 bytes there).
      expect(lines[0]).toBe(isa === 'x86-64' ? `lea rbx, [rip + ${hex(sum - PROGRAM_BASE - 7)}]` : `lea ebx, [${hex(sum)}]`);
      expect(lines[1]).toBe(`lea ${wide}bx, [${wide}ax + ${hex(scaled)}]`);
      expect(lines[2]).toBe(`mov eax, ${hex((-symbol('STACK_BYTES')) >>> 0)}`);
      expect(lines[3]).toBe(`mov eax, ${hex(symbol('USER_DATA') + 4)}`);
      // x86-64 loads eax from a full 64-bit absolute address (movabs) for an address past the rip reach.
      expect(lines[4]).toBe(`${isa === 'x86-64' ? 'movabs' : 'mov'} eax, dword ptr [${hex(symbol('DSM_BASE') + symbol('DSM_PAGE'))}]`);
    });
  }

  it('x86-32: mov eax, label then push eax pushes the label', () => {
    const unit = assemble(assembler, 'x86-32', 'main: mov eax, message\npush eax\npop eax\nret\nmessage: .ascii "hi"');
    const [mov] = disassembler.disassemble('x86-32', unit.bytes, PROGRAM_BASE, 1);
    expect(`${mov!.mnemonic} ${mov!.operands}`).toBe(`mov eax, ${hex(unit.labels.get('message')!)}`);
  });

  for (const isa of ['sparc32', 'sparc64'] as const) {
    it(`${isa}: .set VALUE, SYM + 2 then set VALUE, %g1; ta with a number up to 127`, () => {
      const value = symbol('USER_DATA') + 2;
      const lines = decode(isa, '.set VALUE, USER_DATA + 2\nmain: set VALUE, %g1\nta 127\nretl\nnop');
      expect(lines[0]).toBe(`sethi ${hex(value >>> 10)}, %g1`);
      expect(lines[1]).toBe(`or %g1, ${hex(value & 0x3ff)}, %g1`);
      expect(lines[2]).toBe('ta %icc, %g0 + 0x7f');
    });
  }

  it('sparc64: .word 0 then .word label is the 64-bit address of the label; .xword of a constant is right', () => {
    const unit = assemble(assembler, 'sparc64', 'main: retl\nnop\ntable: .word 0\n.word main\n.xword DSM_BASE + DSM_PAGE');
    const table = unit.labels.get('table')! - PROGRAM_BASE;
    const view = new DataView(unit.bytes.buffer, unit.bytes.byteOffset + table, 16);
    expect(view.getBigUint64(0, false)).toBe(BigInt(unit.labels.get('main')!));
    expect(view.getBigUint64(8, false)).toBe(BigInt(symbol('DSM_BASE') + symbol('DSM_PAGE')));
  });
});
