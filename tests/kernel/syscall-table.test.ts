// The syscall table and the trap dispatch, on a core the test plays itself: every
// number in SYSCALLS has a handler, an unknown number faults naming it, a service the
// image lacks faults naming the syscall, results land in each ISA's registers, and a
// trap the kernel does not serve is named per ISA.

import { describe, expect, it } from 'vitest';
import { Kernel, SYSCALL_CYCLES, SYSCALLS, type GuestCore } from '../../guest-kernel/index.js';
import type { KernelHost } from '../../guest-kernel/kernel-host.js';
import { ISA_NAMES, trapVector, type IsaName } from '../../isa/index.js';

const NUMBER_REGISTER: Readonly<Record<IsaName, string>> = { 'x86-32': 'eax', 'x86-64': 'rax', sparc32: 'g1', sparc64: 'g1' };
const SYSCALL_TRAP: Readonly<Record<IsaName, number>> = { 'x86-32': 0x80, 'x86-64': 0x80, sparc32: 0x10, sparc64: 0x10 };

function playedCore(isa: IsaName, registers: Record<string, bigint>, timeNs = 0) {
  const core: GuestCore = {
    nodeId: 0, coreId: 0, isa, dsmView: undefined,
    readRegister: (name) => registers[name] ?? 0n,
    writeRegister: (name, value) => { registers[name] = BigInt(value); },
    readMemory: (_address, length) => new Uint8Array(length),
    virtualTimeNs: () => timeNs,
    writeConsole: () => undefined,
    reportResult: () => undefined,
    saveTransactionStart: () => undefined,
    rollBackToTransactionStart: () => undefined,
    sleepUntil: () => undefined,
    wake: () => undefined,
  };
  return { core, registers };
}

const kernel = new Kernel({} as KernelHost);

function syscall(isa: IsaName, number: number, registers: Record<string, bigint> = {}, timeNs = 0) {
  const played = playedCore(isa, { ...registers, [NUMBER_REGISTER[isa]]: BigInt(number) }, timeNs);
  return { ...kernel.trap(played.core, trapVector(isa, SYSCALL_TRAP[isa])), registers: played.registers };
}

describe.each(ISA_NAMES)('%s: syscall table', (isa) => {
  it('every syscall number has a handler, and each costs SYSCALL_CYCLES', () => {
    for (const number of Object.values(SYSCALLS)) {
      const { outcome, cycles } = syscall(isa, number);
      expect(outcome).not.toEqual({ action: 'fault', reason: `unknown syscall ${number}` });
      expect(cycles).toBe(SYSCALL_CYCLES);
    }
  });

  it('an unknown number faults, naming it', () => {
    expect(syscall(isa, 99).outcome).toEqual({ action: 'fault', reason: 'unknown syscall 99' });
  });

  it('a DSM or channel syscall in an image without one faults, naming the syscall', () => {
    expect(syscall(isa, SYSCALLS.SYS_TX_BEGIN).outcome)
      .toEqual({ action: 'fault', reason: 'syscall 9 needs a DSM: the image has no "dsm" field' });
    expect(syscall(isa, SYSCALLS.SYS_CHAN_WAIT).outcome)
      .toEqual({ action: 'fault', reason: 'syscall 14: the image declares no channels' });
  });
});

describe('syscall results per ISA', () => {
  const timeNs = 2 ** 33 + 5;
  it.each([
    { isa: 'x86-32' as const, expected: { eax: 5n, edx: 2n } },
    { isa: 'x86-64' as const, expected: { rax: 2n ** 33n + 5n } },
    { isa: 'sparc32' as const, expected: { o0: 5n, o1: 2n } },
    { isa: 'sparc64' as const, expected: { o0: 2n ** 33n + 5n } },
  ])('$isa: SYS_TIME_NS splits a 64-bit result only where a word cannot hold it', ({ isa, expected }) => {
    const { registers } = syscall(isa, SYSCALLS.SYS_TIME_NS, {}, timeNs);
    expect(registers).toMatchObject(expected);
    if (isa === 'x86-64') expect(registers.rdx).toBeUndefined();
    if (isa === 'sparc64') expect(registers.o1).toBeUndefined();
  });
});

describe('traps the kernel does not serve', () => {
  const trap = (isa: IsaName, intno: number) => kernel.trap(playedCore(isa, {}).core, intno);
  it.each([
    { isa: 'x86-32' as const, intno: 14, reason: 'page fault' },
    { isa: 'x86-64' as const, intno: 0x81, reason: 'unexpected interrupt 129' },
    { isa: 'sparc32' as const, intno: trapVector('sparc32', 0x11), reason: 'unexpected trap instruction (ta 0x11)' },
    { isa: 'sparc32' as const, intno: 0x05, reason: 'register window overflow (depth 7): use -mflat or shallower calls' },
    { isa: 'sparc64' as const, intno: trapVector('sparc64', 0x11), reason: 'unexpected trap instruction (ta 0x11)' },
    { isa: 'sparc64' as const, intno: 0x80, reason: 'register window spill trap (sparc64 guests must use flat code: no save/restore)' },
    { isa: 'sparc64' as const, intno: 0xc4, reason: 'register window fill trap (sparc64 guests must use flat code: no save/restore)' },
    { isa: 'sparc64' as const, intno: 0x7f, reason: 'unexpected trap type 0x7f' },
  ])('$isa: interrupt $intno is "$reason"', ({ isa, intno, reason }) => {
    expect(trap(isa, intno)).toEqual({ outcome: { action: 'fault', reason }, cycles: 0 });
  });
});
