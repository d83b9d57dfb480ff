// Pins the x86 encoders against keystone (same bytes) and capstone (same meaning) over
// seeded random sites and targets and the exact edges of every reach.

import { beforeAll, describe, expect, it } from 'vitest';
import { EncodingRangeError, encoderFor, type RelocationKind } from '../../linker/index.js';
import type { IsaName } from '../../isa/index.js';
import { Random } from './support/random.js';
import {
  addressBits, capstone, hex, hexBytes, keystone, lastNumber, loadToolchain, type Toolchain,
} from './support/toolchain.js';

const CASES = 150;
const INT32_MAX = (1n << 31n) - 1n;
const INT32_MIN = -(1n << 31n);

let toolchain: Toolchain;
beforeAll(async () => {
  toolchain = await loadToolchain();
});

/** Address arithmetic of `isa`: wraps at 2^32 or 2^64 like the instruction pointer. */
function wrap(isa: IsaName, address: bigint): bigint {
  return BigInt.asUintN(addressBits(isa), address);
}

function scratch(isa: IsaName): string {
  return isa === 'x86-64' ? 'r11d' : 'eax';
}

/**
 * Keystone's 5-byte `jmp rel32` to `target`. Keystone relaxes a jmp that fits rel8 to the
 * 2-byte EB form and takes no syntax to force rel32 (`jmp near`, `{disp32}` are refused),
 * so in that case the reference is keystone's `call` (same length, same rel32) with the
 * opcode byte turned into E9.
 */
function keystoneJmpRel32(isa: IsaName, site: bigint, target: bigint): Uint8Array {
  const jmp = keystone(toolchain, isa, `jmp ${hex(target)}`, site);
  if (jmp.length === 5) return jmp;
  const call = keystone(toolchain, isa, `call ${hex(target)}`, site);
  call[0] = 0xe9;
  return call;
}

/** Keystone's version of the jump the encoder should pick: rel32 when it reaches, else [rip]. */
function keystoneJump(isa: IsaName, site: bigint, target: bigint): Uint8Array {
  const reaches = isa === 'x86-32' || fits32(target - (site + 5n));
  return reaches
    ? keystoneJmpRel32(isa, site, target)
    : keystone(toolchain, isa, `jmp qword ptr [rip]\n.quad ${hex(target)}`, site);
}

function fits32(value: bigint): boolean {
  const wrapped = BigInt.asIntN(64, value);
  return wrapped >= INT32_MIN && wrapped <= INT32_MAX;
}

function literal64(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** Capstone reads `bytes` at `site` as one jump to `target`, in the form the encoder picked. */
function expectJump(isa: IsaName, bytes: Uint8Array, site: bigint, target: bigint, context: string): void {
  const [jump] = capstone(toolchain, isa, bytes, site, 1);
  expect(jump?.mnemonic, context).toBe('jmp');
  if (bytes.length === 5) {
    expect(lastNumber(isa, jump?.operands ?? ''), context).toBe(target);
  } else {
    expect(jump?.operands, context).toBe('qword ptr [rip]');
    expect(bytes.length, context).toBe(14);
    expect(literal64(bytes.subarray(6)), context).toBe(target);
  }
}

describe.each(['x86-32', 'x86-64'] as const)('%s encoder', (isa) => {
  const encoder = encoderFor(isa);
  const bits = addressBits(isa);
  const random = new Random(isa === 'x86-32' ? 0x3232n : 0x6464n);

  /** Pairs a rel32 at a 5-byte instruction reaches, plus on x86-64 far ones it does not. */
  function pairs(count: number): Array<[bigint, bigint]> {
    const result: Array<[bigint, bigint]> = [];
    for (let i = 0; i < count; i++) {
      const site = random.site(bits, 1n);
      const far = bits === 64 && i % 4 === 3;
      const target = far ? random.site(bits, 1n) : wrap(isa, site + 5n + random.distance(INT32_MAX));
      result.push([site, target]);
    }
    return result;
  }

  /** The rel32 edges: max forward, max backward, and one byte beyond each. */
  function edges(site: bigint): { reach: bigint[]; beyond: bigint[] } {
    const end = site + 5n;
    const reach = [wrap(isa, end + INT32_MAX), wrap(isa, end + INT32_MIN), wrap(isa, end), wrap(isa, site)];
    const beyond = bits === 64 ? [wrap(isa, end + INT32_MAX + 1n), wrap(isa, end + INT32_MIN - 1n)] : [];
    return { reach, beyond };
  }

  const edgeSites = bits === 64
    ? [0x110000n, 0x1_2345_6780n, 0xffff_8000_0000_0000n, 0xffff_ffff_ffff_fff0n]
    : [0x110000n, 0x8000_0000n, 0xffff_fff0n, 0n];

  describe('call', () => {
    it('emits keystone\'s call rel32 and capstone reads the target', () => {
      const reachable = pairs(CASES).filter(([site, target]) => fits32(target - (site + 5n)) || bits === 32);
      const withEdges = [...reachable, ...edgeSites.flatMap((site) => edges(site).reach.map((t): [bigint, bigint] => [site, t]))];
      for (const [site, target] of withEdges) {
        const context = `call at ${hex(site)} to ${hex(target)}`;
        const bytes = encoder.call(site, target);
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, `call ${hex(target)}`, site)));
        const [call] = capstone(toolchain, isa, bytes, site);
        expect(call?.mnemonic, context).toBe('call');
        expect(lastNumber(isa, call?.operands ?? ''), context).toBe(target);
      }
    });

    it('throws EncodingRangeError one byte beyond the rel32 reach (x86-64), wraps on x86-32', () => {
      for (const site of edgeSites) {
        for (const target of edges(site).beyond) {
          expect(() => encoder.call(site, target), `${hex(site)} -> ${hex(target)}`).toThrow(EncodingRangeError);
        }
      }
      if (bits === 32) expect(hexBytes(encoder.call(0xffff_fff0n, 0x10n))).toBe('e81b000000');
    });
  });

  describe('trampoline', () => {
    it('is keystone\'s jmp rel32 when it reaches, else (x86-64) jmp [rip] with the target after it', () => {
      const all = [...pairs(CASES), ...edgeSites.flatMap((site) => {
        const { reach, beyond } = edges(site);
        return [...reach, ...beyond].map((t): [bigint, bigint] => [site, t]);
      })];
      for (const [site, target] of all) {
        const context = `trampoline at ${hex(site)} to ${hex(target)}`;
        const bytes = encoder.trampoline(site, target, 'shortest');
        expect(hexBytes(bytes), context).toBe(hexBytes(keystoneJump(isa, site, target)));
        expect(hexBytes(encoder.trampoline(site, target, 'paper')), context).toBe(hexBytes(bytes));
        expect(encoder.trampolineFormName(site, target, 'shortest'), context).toBe(bytes.length === 5 ? 'jmp rel32' : 'jmp [rip]');
        expect(bytes.length, context).toBeLessThanOrEqual(encoder.trampolineSlotBytes);
        expectJump(isa, bytes, site, target, context);
      }
    });

    it('switches to the far form exactly one byte beyond rel32 reach', () => {
      if (bits === 32) {
        expect(encoder.trampolineSlotBytes).toBe(5);
        return;
      }
      const site = 0x1_0000_0000n;
      expect(encoder.trampolineFormName(site, site + 5n + INT32_MAX, 'shortest')).toBe('jmp rel32');
      expect(encoder.trampolineFormName(site, site + 5n + INT32_MAX + 1n, 'shortest')).toBe('jmp [rip]');
      expect(encoder.trampolineFormName(site, site + 5n + INT32_MIN, 'shortest')).toBe('jmp rel32');
      expect(encoder.trampolineFormName(site, site + 4n + INT32_MIN, 'shortest')).toBe('jmp [rip]');
      expect(encoder.trampolineSlotBytes).toBe(14);
    });
  });

  describe('mediatorStub', () => {
    it('is keystone\'s mov scratch, index then the jump, for indexes 0..4095', () => {
      const stubs = pairs(CASES).map(([site, entry], i): [bigint, bigint, number] => [site, entry, i === 0 ? 0 : i === 1 ? 4095 : Number(random.below(4096n))]);
      const movLength = bits === 64 ? 6n : 5n;
      const edgeStubs = edgeSites.flatMap((site) => {
        const { reach, beyond } = edges(site + movLength);
        return [...reach, ...beyond].map((entry): [bigint, bigint, number] => [site, entry, 4095]);
      });
      for (const [site, entry, index] of [...stubs, ...edgeStubs]) {
        const context = `stub ${index} at ${hex(site)} to ${hex(entry)}`;
        const bytes = encoder.mediatorStub(site, index, entry);
        const mov = keystone(toolchain, isa, `mov ${scratch(isa)}, ${index}`, site);
        const jump = keystoneJump(isa, wrap(isa, site + BigInt(mov.length)), entry);
        expect(hexBytes(bytes), context).toBe(hexBytes(mov) + hexBytes(jump));
        expect(bytes.length, context).toBeLessThanOrEqual(encoder.stubSlotBytes);
        const [decodedMov] = capstone(toolchain, isa, bytes, site, 1);
        expect(decodedMov?.mnemonic, context).toBe('mov');
        expect(decodedMov?.operands.startsWith(`${scratch(isa)}, `), context).toBe(true);
        expect(lastNumber(isa, decodedMov?.operands ?? ''), context).toBe(BigInt(index));
        expectJump(isa, bytes.subarray(mov.length), wrap(isa, site + BigInt(mov.length)), entry, context);
      }
    });

    it('rejects an index outside 0..4095', () => {
      for (const index of [-1, 4096, 1.5]) expect(() => encoder.mediatorStub(0x110000n, index, 0x120000n)).toThrow(RangeError);
      expect(encoder.stubSlotBytes).toBe(bits === 64 ? 20 : 10);
    });
  });

  describe('relocate', () => {
    interface Form { readonly source: (target: bigint) => string; readonly kind: RelocationKind; readonly fieldOffset: number }
    const rel32Forms: Form[] = [
      { source: (t) => `call ${hex(t)}`, kind: 'x86.rel32', fieldOffset: 1 },
      { source: (t) => `jne ${hex(t)}`, kind: 'x86.rel32', fieldOffset: 2 },
      ...(bits === 64
        // Keystone assembles an absolute memory operand rip-relative on x86-64.
        ? [{ source: (t: bigint) => `mov ecx, dword ptr [${hex(t)}]`, kind: 'x86.rel32' as const, fieldOffset: 2 },
          { source: (t: bigint) => `cmp dword ptr [${hex(t)}], 5`, kind: 'x86.rel32' as const, fieldOffset: 2 }]
        : []),
    ];
    const abs32Forms: Form[] = [
      { source: (t) => `mov eax, ${hex(t)}`, kind: 'x86.abs32', fieldOffset: 1 },
      bits === 64
        ? { source: (t) => `mov r11d, ${hex(t)}`, kind: 'x86.abs32', fieldOffset: 2 }
        : { source: (t) => `mov ecx, dword ptr [${hex(t)}]`, kind: 'x86.abs32', fieldOffset: 2 },
    ];

    /**
     * A rel32 target at least 256 bytes away, so keystone keeps jne in its rel32 form, and
     * not across address 0: keystone turns a wrapping x86-64 memory operand into absolute
     * [disp32] addressing (wrapping calls are covered by the call edges).
     */
    function rel32Target(site: bigint): bigint {
      const distance = random.distance(INT32_MAX - 0x1000n);
      const away = site + 0x10n + (distance < 0n ? distance - 0x100n : distance + 0x100n);
      return away === wrap(isa, away) ? away : site + 0x10n - (away - site - 0x10n);
    }

    function expectRelocated(form: Form, site: bigint, from: bigint, to: bigint): void {
      const context = `${form.source(to)} at ${hex(site)} (from ${hex(from)})`;
      const original = keystone(toolchain, isa, form.source(from), site);
      const relocated = encoder.relocate(form, original, site, to);
      expect(hexBytes(relocated), context).toBe(hexBytes(keystone(toolchain, isa, form.source(to), site)));
      expect(hexBytes(original), `${context}: relocate must not modify its input`).toBe(hexBytes(keystone(toolchain, isa, form.source(from), site)));
    }

    it('rewrites rel32 fields of call, jne and rip-relative operands as keystone would assemble them', () => {
      for (const form of rel32Forms) {
        for (let i = 0; i < CASES / 3; i++) {
          const site = random.site(bits, 1n);
          expectRelocated(form, site, rel32Target(site), rel32Target(site));
        }
      }
    });

    it('rewrites abs32 fields of immediates and displacements as keystone would assemble them', () => {
      const limit = bits === 64 ? 1n << 31n : 1n << 32n;
      for (const form of abs32Forms) {
        for (let i = 0; i < CASES / 3; i++) {
          const to = i === 0 ? limit - 1n : i === 1 ? 0n : random.below(limit);
          expectRelocated(form, random.site(bits, 1n), random.below(limit), to);
        }
      }
    });

    it('capstone reads the relocated rip-relative operand as the new target', () => {
      if (bits === 32) return;
      const site = 0x7fff_0000_0000n;
      const original = keystone(toolchain, isa, 'cmp dword ptr [0x7fff00001000], 5', site);
      const target = site - 0x4000_0000n;
      const [cmp] = capstone(toolchain, isa, encoder.relocate({ kind: 'x86.rel32', fieldOffset: 2 }, original, site, target), site);
      const match = /\[rip ([+-]) (0x[0-9a-f]+)\], 5$/.exec(cmp?.operands ?? '');
      expect(match, cmp?.operands).not.toBeNull();
      const offset = BigInt(match?.[2] ?? '0');
      expect(site + 7n + (match?.[1] === '-' ? -offset : offset)).toBe(target);
    });

    it('throws EncodingRangeError one step beyond each field\'s reach', () => {
      const call = encoder.call(0x110000n, 0x120000n);
      const rel32 = { kind: 'x86.rel32', fieldOffset: 1 } as const;
      const abs32 = { kind: 'x86.abs32', fieldOffset: 1 } as const;
      if (bits === 64) {
        const site = 0x2_0000_0000n;
        expect(hexBytes(encoder.relocate(rel32, call, site, site + 5n + INT32_MAX))).toBe('e8ffffff7f');
        expect(() => encoder.relocate(rel32, call, site, site + 5n + INT32_MAX + 1n)).toThrow(EncodingRangeError);
        expect(hexBytes(encoder.relocate(rel32, call, site, site + 5n + INT32_MIN))).toBe('e800000080');
        expect(() => encoder.relocate(rel32, call, site, site + 4n + INT32_MIN)).toThrow(EncodingRangeError);
        expect(hexBytes(encoder.relocate(abs32, call, site, INT32_MAX))).toBe('e8ffffff7f');
        expect(() => encoder.relocate(abs32, call, site, INT32_MAX + 1n)).toThrow(/x86\.abs32 field of e8fbff0000 at 0x200000000 cannot reach 0x80000000: its reach is targets below 2 GiB/);
      } else {
        expect(hexBytes(encoder.relocate(abs32, call, 0x110000n, 0xffff_ffffn))).toBe('e8ffffffff');
        expect(() => encoder.relocate(abs32, call, 0x110000n, 1n << 32n)).toThrow(RangeError);
      }
    });

    it('refuses a field outside the instruction and a SPARC relocation', () => {
      const call = encoder.call(0x110000n, 0x120000n);
      expect(() => encoder.relocate({ kind: 'x86.rel32', fieldOffset: 2 }, call, 0x110000n, 0x120000n)).toThrow(RangeError);
      expect(() => encoder.relocate({ kind: 'sparc.hi22', fieldOffset: 0 }, call, 0x110000n, 0x120000n)).toThrow(RangeError);
    });
  });

  it('names the instruction, site, target and reach when a target is out of reach', () => {
    if (bits === 32) {
      expect(() => encoder.call(0x110000n, 1n << 32n)).toThrow(/target 0x100000000 is outside the 32-bit address space/);
      return;
    }
    expect(() => encoder.call(0x110000n, 0x80110005n)).toThrow(/^call rel32 at 0x110000 cannot reach 0x80110005: its reach is ±2 GiB$/);
  });

  it('documents its scratch register', () => {
    expect(encoder.scratchRegisters).toEqual([bits === 64 ? 'r11' : 'eax']);
  });
});

describe('keystone quirks (x86)', () => {
  it('keystone quirk: x86-64 call <number> takes a displacement in [2^31, 2^32) and wraps it', () => {
    // 0x80110005 - (0x110000 + 5) = 2^31 does not fit rel32; keystone emits it anyway, and
    // the call goes to 0xffffffff80110005. References never use keystone beyond the reach.
    const bytes = keystone(toolchain, 'x86-64', 'call 0x80110005', 0x110000n);
    expect(hexBytes(bytes)).toBe('e800000080');
    expect(capstone(toolchain, 'x86-64', bytes, 0x110000n)[0]?.operands).toBe('0xffffffff80110005');
  });

  it('keystone quirk: jmp relaxes to rel8 and no syntax forces rel32', () => {
    expect(hexBytes(keystone(toolchain, 'x86-32', 'jmp 0x110010', 0x110000n))).toBe('eb0e');
    for (const source of ['jmp near 0x110010', 'jmp near ptr 0x110010', '{disp32} jmp 0x110010']) {
      expect(() => keystone(toolchain, 'x86-64', source, 0x110000n), source).toThrow();
    }
  });

  it('keystone quirk: x86-64 [number] assembles rip-relative, [rip + number] is a raw displacement', () => {
    expect(hexBytes(keystone(toolchain, 'x86-64', 'mov ecx, dword ptr [0x120000]', 0x110000n))).toBe('8b0dfaff0000');
    expect(hexBytes(keystone(toolchain, 'x86-64', 'jmp qword ptr [rip + 0x10]', 0x110000n))).toBe('ff2510000000');
    expect(hexBytes(keystone(toolchain, 'x86-64', 'jmp qword ptr [rip]', 0x110000n))).toBe('ff2500000000');
  });
});
