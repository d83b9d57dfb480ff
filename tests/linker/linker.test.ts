import { beforeAll, describe, expect, it } from 'vitest';
import { Assembler, BufferLinkMemory, buildMediator, compileModule, Disassembler, encoderFor, Linker, type BindingSpec, type CodeChange, type ChangeTicket, type LinkPlan } from '../../linker/index.js';
import { type IsaName } from '../../isa/index.js';

// The linker against plain memory: what each operation writes and publishes. The real
// engine's side of the same operations is in tests/linker/behaviour.

let assembler: Assembler;
let disassembler: Disassembler;

beforeAll(async () => {
  [assembler, disassembler] = await Promise.all([Assembler.load(), Disassembler.load()]);
});

const BASE = 0x100000;
const AREA = 0x1f0000;
const TABLE = 0x200000;

/** Buffer memory that also keeps every change the linker publishes. */
class RecordingMemory extends BufferLinkMemory {
  readonly changes: CodeChange[] = [];

  override publish(change: CodeChange): ChangeTicket {
    this.changes.push(change);
    return super.publish(change);
  }
}

const CALLER = ['.extern foo', 'main:', ...Array.from({ length: 3 }, () => '  call foo'), '  ret'].join('\n');
const FOO_A = '.globl foo\nfoo:\n  mov eax, 1\n  ret\n';
const FOO_B = '.globl foo\nfoo:\n  mov eax, 2\n  ret\n';

function plan(isa: IsaName, bindings: Record<string, BindingSpec>): LinkPlan {
  const sources: [string, string, boolean][] = [['main', CALLER, false], ['foo.a', FOO_A, false], ['foo.b', FOO_B, false]];
  const modules = sources.map(([name, text, library], i) => compileModule(isa,
    { name, file: `${name}.s`, text, address: 0x110000 + i * 0x100, library }, assembler, disassembler, new Map()));
  const mediator = buildMediator(assembler, isa, AREA, TABLE);
  return {
    isa, modules, bindings: new Map(Object.entries(bindings)), mediator,
    area: { address: AREA + 0x100, length: 0xf00 }, tableAddress: TABLE, tableEntries: 64, trampolineForm: 'shortest',
  };
}

function callTargets(memory: BufferLinkMemory): number[] {
  const code = memory.read(0x110000, 15);
  return disassembler.disassemble('x86-32', code, 0x110000).map((insn) => Number(insn.operands));
}

function boot(bindings: Record<string, BindingSpec>) {
  const memory = new RecordingMemory(BASE, 0x120000);
  const linker = new Linker(plan('x86-32', bindings), memory);
  linker.boot();
  return { memory, linker };
}

describe('binding intensities, as written to memory', () => {
  it('immediate: every call site calls the implementation', () => {
    const { memory } = boot({ foo: { intensity: 'immediate' } });
    expect(callTargets(memory)).toEqual([0x110100, 0x110100, 0x110100]);
  });

  it('mediated: every call site calls one trampoline, which jumps to the implementation', () => {
    const { memory, linker } = boot({ foo: { intensity: 'mediated' } });
    const trampoline = linker.binding('foo').trampoline!;
    expect(callTargets(memory)).toEqual([trampoline, trampoline, trampoline]);
    expect(memory.read(trampoline, 5)).toEqual(encoderFor('x86-32').trampoline(BigInt(trampoline), 0x110100n, 'shortest'));
  });

  it('weak: the call site calls a stub that enters the mediator with the table index', () => {
    const { memory, linker } = boot({ foo: { intensity: 'weak' } });
    const [stub] = callTargets(memory);
    const decoded = disassembler.disassemble('x86-32', memory.read(stub!, 10), stub!);
    expect(decoded.map((i) => `${i.mnemonic} ${i.operands}`)).toEqual(['mov eax, 0', `jmp 0x${AREA.toString(16)}`]);
    expect(linker.calls()).toEqual([{ caller: 'main', symbol: 'foo', calls: 0 }]);
    // Table entry 0: target foo.a, allowed.
    expect([...memory.read(TABLE, 12)]).toEqual([0x00, 0x01, 0x11, 0x00, 0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('failsafe: the reference stays open until resolved, then binds by its resolved intensity', () => {
    const { memory, linker } = boot({ foo: { intensity: 'failsafe', resolved: 'mediated' } });
    const [stub] = callTargets(memory);
    const decoded = disassembler.disassemble('x86-32', memory.read(stub!, 10), stub!);
    expect(decoded[1]!.operands).toBe(`0x${buildMediator(assembler, 'x86-32', AREA, TABLE).failsafeEntry.toString(16)}`);
    expect(linker.resolve(0)).toEqual({ linked: true, symbol: 'foo', caller: 'main', module: 'foo.a' });
    expect(linker.binding('foo')).toMatchObject({ open: false, intensity: 'mediated' });
    expect(callTargets(memory)).toEqual(Array(3).fill(linker.binding('foo').trampoline));
  });
});

describe('re-links publish exactly what they rewrote', () => {
  it('switching a mediated symbol rewrites only its trampoline, restartable as a whole', () => {
    const { memory, linker } = boot({ foo: { intensity: 'mediated' } });
    const trampoline = linker.binding('foo').trampoline!;
    linker.use('foo', 'foo.b');
    expect(memory.changes.at(-1)).toEqual({
      rewritten: [{ address: trampoline, length: 5 }],
      restart: [{ address: trampoline, length: 5 }],
      symbol: 'foo',
    });
  });

  it('switching an immediate symbol rewrites each of its call sites, published as one run of bytes', () => {
    const { memory, linker } = boot({ foo: { intensity: 'immediate' } });
    linker.use('foo', 'foo.b');
    expect(memory.changes.at(-1)!.rewritten).toEqual([{ address: 0x110000, length: 15 }]);
    expect(callTargets(memory)).toEqual([0x110200, 0x110200, 0x110200]);
  });

  it('switching a weak symbol changes the table and restarts cores inside the mediator lookup', () => {
    const { memory, linker } = boot({ foo: { intensity: 'weak' } });
    linker.use('foo', 'foo.b');
    const change = memory.changes.at(-1)!;
    expect(change.rewritten).toEqual([]);
    expect(change.restart).toEqual(linker.plan.mediator.restart);
    expect([...memory.read(TABLE, 4)]).toEqual([0x00, 0x02, 0x11, 0x00]);
  });

  it('unbind opens every reference; resolve links the module afresh', () => {
    const { memory, linker } = boot({ foo: { intensity: 'immediate' } });
    linker.unbind('foo');
    expect(linker.isLoaded('foo.a')).toBe(false);
    const stub = callTargets(memory)[0]!;
    expect(callTargets(memory)).toEqual([stub, stub, stub]);
    linker.resolve(0);
    expect(linker.loadCount('foo.a')).toBe(2);
    expect(callTargets(memory)).toEqual([0x110100, 0x110100, 0x110100]);
  });

  it('a symbol nobody exports stays open and resolves to nothing', () => {
    const memory = new RecordingMemory(BASE, 0x120000);
    const base = plan('x86-32', {});
    const linker = new Linker({ ...base, modules: base.modules.filter((m) => m.name === 'main') }, memory);
    linker.boot();
    expect(linker.binding('foo')).toMatchObject({ open: true, intensity: 'failsafe', provider: undefined });
    expect(linker.resolve(0)).toEqual({ linked: false, symbol: 'foo', caller: 'main' });
  });
});
