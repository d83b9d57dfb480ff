import { beforeAll, describe, expect, it } from 'vitest';
import { Assembler, compileModule, Disassembler, LinkError, ModuleSourceError, type CompiledModule } from '../../linker/index.js';
import { type IsaName } from '../../isa/index.js';

// Reference discovery by double assembly: every external reference is found, classified
// as a relocation kind, and pinned to the instruction capstone decodes there.

let assembler: Assembler;
let disassembler: Disassembler;

beforeAll(async () => {
  [assembler, disassembler] = await Promise.all([Assembler.load(), Disassembler.load()]);
});

const ADDRESS = 0x110000;

function compile(isa: IsaName, text: string): CompiledModule {
  return compileModule(isa, { name: 'm', file: 'm.s', text, address: ADDRESS, library: false }, assembler, disassembler, new Map());
}

function summary(module: CompiledModule) {
  return module.references.map((r) => `${r.site - ADDRESS} ${r.symbol} ${r.relocation.kind}+${r.relocation.fieldOffset}`);
}

describe('references found by double assembly', () => {
  it('x86-32: calls, jumps, conditional jumps and absolute immediates', () => {
    const module = compile('x86-32', [
      '.extern foo, bar', '.globl main', 'main:', '  call foo', '  mov eax, bar', '  push foo', '  je bar', '  jmp foo',
    ].join('\n'));
    // call rel32 (5 bytes), mov eax imm32 (5), push imm32 (5), je rel32 (6), jmp rel32 (5)
    expect(summary(module)).toEqual([
      '0 foo x86.rel32+1', '5 bar x86.abs32+1', '10 foo x86.abs32+1', '15 bar x86.rel32+2', '21 foo x86.rel32+1',
    ]);
    expect(module.references.map((r) => r.instruction.split(' ')[0])).toEqual(['call', 'mov', 'push', 'je', 'jmp']);
    expect(module.exports).toEqual(new Map([['main', ADDRESS]]));
  });

  it('x86-64: calls and 32-bit immediates; the instruction length is kept', () => {
    const module = compile('x86-64', ['.extern foo', 'main:', '  call foo', '  mov edi, foo', '  ret'].join('\n'));
    expect(summary(module)).toEqual(['0 foo x86.rel32+1', '5 foo x86.abs32+1']);
    expect(module.references.map((r) => r.length)).toEqual([5, 5]);
  });

  it.each(['sparc32', 'sparc64'] as const)('%s: call, set and hi/lo pairs, grouped into restartable sequences', (isa) => {
    const module = compile(isa, [
      '.extern foo, table', 'main:', '  call foo', '  nop', '  set table, %o0', '  sethi %hi(foo), %g1', '  jmpl %g1 + %lo(foo), %o7', '  nop',
    ].join('\n'));
    expect(summary(module)).toEqual([
      '0 foo sparc.disp30+0', '8 table sparc.hi22+0', '12 table sparc.lo10+0', '16 foo sparc.hi22+0', '20 foo sparc.lo10+0',
    ]);
    expect(module.sequences).toEqual([{ address: ADDRESS + 8, length: 8 }, { address: ADDRESS + 16, length: 8 }]);
  });

  it('a module without imports is assembled once and has no references', () => {
    const module = compile('x86-32', '.globl foo\nfoo:\n  mov eax, 1\n  ret\n');
    expect(module.references).toEqual([]);
    expect(module.imports).toEqual([]);
    expect([...module.bytes]).toEqual([0xb8, 1, 0, 0, 0, 0xc3]);
  });
});

describe('module errors name the file and what is wrong', () => {
  it('an exported label that does not exist', () => {
    expect(() => compile('x86-32', '.globl nothere\nmain:\n ret\n')).toThrow(new LinkError('m.s: .globl nothere: no such label in the module'));
  });

  it('an import the module defines itself', () => {
    expect(() => compile('x86-32', '.extern main\nmain:\n ret\n')).toThrow(new LinkError('m.s: .extern main: the module defines main itself'));
  });

  it('a bad symbol name in a directive, with its line', () => {
    expect(() => compile('x86-32', 'main:\n ret\n.extern 9lives\n')).toThrow(new ModuleSourceError("m.s:3: '9lives' is not a symbol name"));
  });

  it('a reference whose encoding is not a known relocation kind', () => {
    // A 16-bit immediate holds no 32-bit field that moves with the symbol.
    expect(() => compile('x86-32', '.extern foo\nmain:\n  mov ax, foo\n  ret\n'))
      .toThrow(new LinkError('m.s: at 0x110000: the reference is not a 32-bit absolute or pc-relative field'));
  });
});
