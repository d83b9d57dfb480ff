import { openEngine } from '../support/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  UC_ERR_WRITE_PROT, UC_HOOK_MEM_WRITE_PROT, UC_PROT_ALL, UC_PROT_READ, UC_PROT_EXEC, UnicornError,
} from '../../emulator/index.js';
import { Assembler } from '../../linker/index.js';
import { ISA_NAMES, type IsaName } from '../../isa/index.js';

const BASE = 0x10_0000;
let assembler: Assembler;
beforeAll(async () => { assembler = await Assembler.load(); });

function engineWithCode(isa: IsaName, source: string, ram = Buffer.alloc(0x10000)) {
  const engine = openEngine(isa);
  engine.mapBuffer(BASE, ram, UC_PROT_ALL);
  const unit = assembler.assemble(isa, source, { address: BASE, file: 'test.s' });
  ram.set(unit.bytes, 0);
  return { engine, ram, unit };
}

describe('engine binding', () => {
  it.each(ISA_NAMES)('%s: memory and registers round-trip', (isa) => {
    const engine = openEngine(isa);
    engine.mapMemory(BASE, 0x4000, UC_PROT_ALL);
    engine.writeMemory(BASE + 0x10, Uint8Array.from([1, 2, 3, 4]));
    expect([...engine.readMemory(BASE + 0x10, 4)]).toEqual([1, 2, 3, 4]);
    engine.writeRegister(engine.isa.spRegister, BASE + 0x3000);
    expect(engine.readRegister(engine.isa.spRegister)).toBe(BigInt(BASE + 0x3000));
    expect(() => engine.readRegister('no-such-register')).toThrow(/has no register named/);
    engine.close();
  });

  it('turns Unicorn errors into typed errors with Unicorn\'s message (sparc64 maps 8 KiB pages)', () => {
    const engine = openEngine('sparc64');
    let error: unknown;
    try { engine.mapMemory(0x1000, 0x1000, UC_PROT_ALL); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(UnicornError);
    expect((error as UnicornError).code).toBe(15);
    expect((error as UnicornError).message).toMatch(/Invalid argument \(UC_ERR_ARG\)/);
    engine.mapMemory(0x2000, 0x2000, UC_PROT_ALL);
    engine.close();
  });

  it('shares one Buffer between engines with map_ptr', () => {
    const ram = Buffer.alloc(0x4000);
    const a = openEngine('x86-32');
    const b = openEngine('x86-32');
    a.mapBuffer(BASE, ram, UC_PROT_ALL);
    b.mapBuffer(BASE, ram, UC_PROT_ALL);
    a.writeMemory(BASE + 0x100, Uint8Array.from([0xca, 0xfe]));
    expect([...b.readMemory(BASE + 0x100, 2)]).toEqual([0xca, 0xfe]);
    expect(ram[0x100]).toBe(0xca);
    a.close();
    b.close();
  });

  it('counts instructions, stops at `until`, and reports protection faults through hooks', () => {
    const { engine } = engineWithCode('x86-32', 'nop\nnop\nnop\nmov dword ptr [0x100000], eax\n');
    const run = engine.run(BASE, { until: BASE + 2, budget: 100 });
    expect(run).toEqual({ code: 0, counted: 2, budgetSpent: false });
    engine.protect(BASE, 0x10000, UC_PROT_READ | UC_PROT_EXEC);
    const faults: bigint[] = [];
    engine.onMemoryEvent(UC_HOOK_MEM_WRITE_PROT, (_type, address) => { faults.push(address); return false; });
    const fault = engine.run(BASE, { budget: 100 });
    expect(fault.code).toBe(UC_ERR_WRITE_PROT);
    expect(faults).toEqual([BigInt(BASE)]);
    engine.close();
  });

  it('keeps stale translations until the range is invalidated (Unicorn #1561)', () => {
    const { engine, ram, unit } = engineWithCode('x86-32', 'mov eax, 1\nint 0x80\n');
    engine.onInterrupt(() => engine.stop());
    engine.run(BASE, { budget: 10 });
    expect(engine.readRegister('eax')).toBe(1n);
    const patched = assembler.assemble('x86-32', 'mov eax, 2\nint 0x80\n', { address: BASE, file: 'patch.s' });
    expect(patched.bytes.length).toBe(unit.bytes.length);
    ram.set(patched.bytes, 0);
    engine.run(BASE, { budget: 10 });
    expect(engine.readRegister('eax')).toBe(1n);
    engine.invalidate(BASE, BASE + patched.bytes.length);
    engine.run(BASE, { budget: 10 });
    expect(engine.readRegister('eax')).toBe(2n);
    engine.close();
  });

  it('survives a hook callback that throws and reports the error', () => {
    const { engine } = engineWithCode('x86-32', 'int 0x80\nnop\nnop\n');
    engine.onInterrupt(() => { throw new Error('handler broke'); });
    const run = engine.run(BASE, { budget: 10 });
    expect(run.code).toBe(0);
    expect((run.hookError as Error).message).toBe('handler broke');
    expect(engine.pc()).toBe(BASE + 2);
    engine.close();
  });

  it('fires code hooks at a breakpoint address and can remove them', () => {
    const { engine, unit } = engineWithCode('sparc32', 'mov 3, %o0\nloop:\nsubcc %o0, 1, %o0\nbne loop\nnop\nta 0x10\n');
    const hits: number[] = [];
    const loop = unit.labels.get('loop')!;
    const hook = engine.onCode(loop, loop, (address) => hits.push(address));
    engine.onInterrupt(() => engine.stop());
    engine.run(BASE, { budget: 100 });
    expect(hits).toEqual([loop, loop, loop]);
    engine.removeHook(hook);
    engine.run(BASE, { budget: 100 });
    expect(hits.length).toBe(3);
    engine.close();
  });

  it.each(['x86-32', 'sparc32'] as const)('%s: saves and restores register contexts', (isa) => {
    const engine = openEngine(isa);
    const register = isa === 'x86-32' ? 'ebx' : 'l3';
    engine.writeRegister(register, 0x1234);
    const context = engine.saveContext();
    engine.writeRegister(register, 0x9999);
    engine.restoreContext(context);
    expect(engine.readRegister(register)).toBe(0x1234n);
    context.free();
    engine.close();
  });

  it('closes idempotently and refuses calls afterwards', () => {
    const engine = openEngine('x86-64');
    engine.onInterrupt(() => undefined);
    engine.close();
    engine.close();
    expect(engine.isClosed).toBe(true);
    expect(() => engine.mapMemory(BASE, 0x1000, UC_PROT_ALL)).toThrow(/engine is closed/);
  });
});
