// Pins the SPARC encoders against keystone (same words) and capstone (same meaning)
// over seeded random sites and targets and the exact edges of every reach.
//
// Keystone references write pc-relative operands as `. + n` / `. - n`, which keystone
// scales and places correctly at any site; see the quirk tests at the end for why a
// plain number or a label expression does not work.

import { beforeAll, describe, expect, it } from 'vitest';
import { EncodingRangeError, encoderFor, type RelocationKind } from '../../linker/index.js';
import type { IsaName } from '../../isa/index.js';
import { Random } from './support/random.js';
import { runSparc } from './support/sparc-program.js';
import {
  CAPSTONE_MINUS_2_POW_31, addressBits, capstone, hex, hexBytes, keystone, lastNumber, loadToolchain, type Toolchain,
} from './support/toolchain.js';

const CASES = 150;
const MiB = 1n << 20n;
const GiB = 1n << 30n;

let toolchain: Toolchain;
beforeAll(async () => {
  toolchain = await loadToolchain();
});

function relative(isa: IsaName, site: bigint, target: bigint): string {
  const distance = BigInt.asIntN(addressBits(isa), target - site);
  return distance < 0n ? `. - ${hex(-distance)}` : `. + ${hex(distance)}`;
}

function mnemonics(isa: IsaName, bytes: Uint8Array, site: bigint): string[] {
  return capstone(toolchain, isa, bytes, site).map(({ mnemonic }) => mnemonic);
}

/** Capstone's reading of `bytes` at `site` transfers to `target` through exactly `expected`. */
function expectTransfer(isa: IsaName, bytes: Uint8Array, site: bigint, target: bigint, expected: string[], context: string): void {
  const program = capstone(toolchain, isa, bytes, site);
  expect(program.map(({ mnemonic }) => mnemonic), context).toEqual(expected);
  expect(hex(runSparc(isa, program).target), context).toBe(hex(target));
}

describe.each(['sparc32', 'sparc64'] as const)('%s encoder', (isa) => {
  const encoder = encoderFor(isa);
  const bits = addressBits(isa);
  const wide = isa === 'sparc64';
  const random = new Random(wide ? 0x5664n : 0x5632n);
  const wrap = (address: bigint): bigint => BigInt.asUintN(bits, address);
  const near = wide
    ? { reach: MiB, kind: 'sparc.disp19' as const, annulled: 'ba,a,pt %xcc,', plain: 'ba,pt %xcc,', name: 'ba,a,pt' }
    : { reach: 8n * MiB, kind: 'sparc.disp22' as const, annulled: 'ba,a', plain: 'ba', name: 'ba,a' };
  const edgeSites = wide ? [0x110000n, 0x1_2345_6780n, 0xffff_ffff_ffff_f000n, 0n] : [0x110000n, 0xffff_f000n, 0n];

  /** A word-aligned target within `reach` bytes (±) of a random site, wrapping like the pc. */
  function nearPair(reach: bigint): [bigint, bigint] {
    const site = random.site(bits, 4n);
    const distance = random.distance(reach - 4n) & ~3n;
    return [site, wrap(site + distance)];
  }

  /** Max forward and max backward targets of a signed reach, and the steps just beyond. */
  function edges(site: bigint, reach: bigint): { inside: bigint[]; beyond: bigint[] } {
    return {
      inside: [wrap(site + reach - 4n), wrap(site - reach), site],
      beyond: [wrap(site + reach), wrap(site - reach - 4n)],
    };
  }

  describe('call', () => {
    it('emits keystone\'s call and capstone reads the target', () => {
      const reach = wide ? 2n * GiB : 1n << 32n;
      const pairs = Array.from({ length: CASES }, () => nearPair(reach));
      const edgePairs = edgeSites.flatMap((site) => edges(site, 2n * GiB).inside.map((t): [bigint, bigint] => [site, t]));
      for (const [site, target] of [...pairs, ...edgePairs]) {
        const context = `call at ${hex(site)} to ${hex(target)}`;
        const bytes = encoder.call(site, target);
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, `call ${relative(isa, site, target)}`, site)));
        expectTransfer(isa, bytes, site, target, ['call'], context);
      }
    });

    it(wide ? 'throws EncodingRangeError one word beyond ±2 GiB' : 'wraps around the 32-bit address space', () => {
      for (const site of edgeSites) {
        for (const target of edges(site, 2n * GiB).beyond) {
          if (wide) expect(() => encoder.call(site, target), hex(target)).toThrow(EncodingRangeError);
          else expectTransfer(isa, encoder.call(site, target), site, target, ['call'], hex(target));
        }
      }
    });
  });

  describe('trampoline', () => {
    it(`near form is keystone's ${near.annulled} and capstone reads the target`, () => {
      const pairs = Array.from({ length: CASES }, () => nearPair(near.reach));
      const edgePairs = edgeSites.flatMap((site) => edges(site, near.reach).inside.map((t): [bigint, bigint] => [site, t]));
      for (const [site, target] of [...pairs, ...edgePairs]) {
        const context = `trampoline at ${hex(site)} to ${hex(target)}`;
        const bytes = encoder.trampoline(site, target, 'shortest');
        expect(encoder.trampolineFormName(site, target, 'shortest'), context).toBe(near.name);
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, `${near.annulled} ${relative(isa, site, target)}`, site)));
        expectTransfer(isa, bytes, site, target, ['ba,a'], context);
      }
    });

    it('one word beyond the near reach, shortest falls back to the paper\'s sethi/jmpl', () => {
      for (const site of edgeSites.filter((s) => s < 1n << 31n)) {
        for (const target of edges(site, near.reach).beyond.filter((t) => t < 1n << 32n)) {
          expect(encoder.trampolineFormName(site, target, 'shortest'), hex(target)).toBe('sethi/jmpl');
        }
      }
    });

    const absoluteForms = [
      {
        name: 'sethi/jmpl', floor: 0n, limit: 1n << 32n, mnemonics: ['sethi', 'jmp', 'nop'],
        source: (y: bigint) => `sethi %hi(${hex(y)}), %g1\njmpl %g1 + %lo(${hex(y)}), %g0\nnop`,
      },
      ...(wide ? [{
        name: 'h44', floor: 1n << 32n, limit: 1n << 44n, mnemonics: ['sethi', 'or', 'sllx', 'jmp', 'nop'],
        source: (y: bigint) => `sethi %h44(${hex(y)}), %g1\nor %g1, %m44(${hex(y)}), %g1\nsllx %g1, 12, %g1\njmpl %g1 + %l44(${hex(y)}), %g0\nnop`,
      }, {
        name: 'full64', floor: 1n << 44n, limit: 1n << 64n, mnemonics: ['sethi', 'sethi', 'or', 'sllx', 'or', 'jmp', 'nop'],
        // Keystone has no %lm; %hi of the low 32 bits is the same field.
        source: (y: bigint) => `sethi %hh(${hex(y)}), %g1\nsethi %hi(${hex(y & 0xffff_ffffn)}), %g5\nor %g1, %hm(${hex(y)}), %g1\n`
          + `sllx %g1, 32, %g1\nor %g1, %g5, %g1\njmpl %g1 + %lo(${hex(y)}), %g0\nnop`,
      }] : []),
    ];

    it.each(absoluteForms)('$name form is keystone\'s sequence and capstone\'s reading jumps to the target', (form) => {
      const { floor, limit } = form;
      const targets = [floor, limit - 4n, ...Array.from({ length: CASES }, () => (floor + random.below(limit - floor)) & ~3n)];
      for (const target of targets) {
        // Half the address space away, so the near branch cannot reach.
        const site = wrap(target + (1n << BigInt(bits - 1)));
        const context = `${form.name} at ${hex(site)} to ${hex(target)}`;
        const bytes = encoder.trampoline(site, target, 'shortest');
        expect(encoder.trampolineFormName(site, target, 'shortest'), context).toBe(form.name);
        if (form.name === 'sethi/jmpl') expect(hexBytes(encoder.trampoline(site, target, 'paper')), context).toBe(hexBytes(bytes));
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, form.source(target), site)));
        expect(bytes.length, context).toBeLessThanOrEqual(encoder.trampolineSlotBytes);
        expectTransfer(isa, bytes, site, target, form.mnemonics, context);
      }
    });

    it('shortest picks each form up to the exact edge of its reach', () => {
      const site = wide ? 0x8000_0000_0000_0000n : 0x8000_0000n;
      const expectations: Array<[bigint, string]> = [[0n, 'sethi/jmpl'], [0xffff_fffcn, 'sethi/jmpl']];
      if (wide) expectations.push([1n << 32n, 'h44'], [(1n << 44n) - 4n, 'h44'], [1n << 44n, 'full64'], [(1n << 64n) - 4n, 'full64']);
      for (const [target, name] of expectations) expect(encoder.trampolineFormName(site, target, 'shortest'), hex(target)).toBe(name);
      expect(encoder.trampolineFormName(0x110000n, 0x110000n + near.reach - 4n, 'shortest')).toBe(near.name);
      expect(encoder.trampolineSlotBytes).toBe(wide ? 28 : 12);
    });

    it('paper always emits sethi/jmpl, and throws EncodingRangeError from 4 GiB up', () => {
      expect(encoder.trampolineFormName(0x110000n, 0x110010n, 'paper')).toBe('sethi/jmpl');
      expect(mnemonics(isa, encoder.trampoline(0x110000n, 0x110010n, 'paper'), 0x110000n)).toEqual(['sethi', 'jmp', 'nop']);
      if (!wide) return;
      expect(() => encoder.trampoline(0x1_0000_0000n, 0x1_0000_0000n, 'paper')).toThrow(
        /^sethi\/jmpl trampoline at 0x100000000 cannot reach 0x100000000: its reach is targets below 2\^32$/,
      );
      expect(() => encoder.trampolineFormName(0n, 1n << 32n, 'paper')).toThrow(EncodingRangeError);
    });
  });

  describe('mediatorStub', () => {
    const index = (i: number): number => (i === 0 ? 0 : i === 1 ? 4095 : Number(random.below(4096n)));

    it(`near form is keystone's ${near.plain} entry with mov index, %g1 in the delay slot`, () => {
      const pairs = Array.from({ length: CASES }, () => nearPair(near.reach));
      const edgePairs = edgeSites.flatMap((site) => edges(site, near.reach).inside.map((t): [bigint, bigint] => [site, t]));
      [...pairs, ...edgePairs].forEach(([site, entry], i) => {
        const slot = index(i);
        const context = `stub ${slot} at ${hex(site)} to ${hex(entry)}`;
        const bytes = encoder.mediatorStub(site, slot, entry);
        const source = `${near.plain} ${relative(isa, site, entry)}\nmov ${slot}, %g1`;
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, source, site)));
        const program = capstone(toolchain, isa, bytes, site);
        expect(program.map(({ mnemonic }) => mnemonic), context).toEqual(['ba', 'mov']);
        const effect = runSparc(isa, program);
        expect(hex(effect.target), context).toBe(hex(entry));
        expect(effect.registers.get('%g1'), context).toBe(BigInt(slot));
      });
    });

    it('far form is keystone\'s sethi/jmpl through %g5 with mov index, %g1 in the delay slot', () => {
      const low = (address: bigint): boolean => address < 1n << 32n;
      const edgePairs = edgeSites.filter(low).flatMap((site) => edges(site, near.reach).beyond.filter(low).map((t): [bigint, bigint] => [site, t]));
      // 16 MiB away is beyond both near reaches.
      const entries = [0xffff_fffcn, ...Array.from({ length: CASES }, () => random.below(1n << 32n) & ~3n)];
      const pairs = entries.map((entry): [bigint, bigint] => [wrap(entry + 16n * MiB), entry]);
      [...edgePairs, ...pairs].forEach(([site, entry], i) => {
        const slot = index(i);
        const context = `stub ${slot} at ${hex(site)} to ${hex(entry)}`;
        const bytes = encoder.mediatorStub(site, slot, entry);
        const source = `sethi %hi(${hex(entry)}), %g5\njmpl %g5 + %lo(${hex(entry)}), %g0\nmov ${slot}, %g1`;
        expect(hexBytes(bytes), context).toBe(hexBytes(keystone(toolchain, isa, source, site)));
        expect(bytes.length, context).toBe(encoder.stubSlotBytes);
        const program = capstone(toolchain, isa, bytes, site);
        expect(program.map(({ mnemonic }) => mnemonic), context).toEqual(['sethi', 'jmp', 'mov']);
        const effect = runSparc(isa, program);
        expect(hex(effect.target), context).toBe(hex(entry));
        expect(effect.registers.get('%g1'), context).toBe(BigInt(slot));
      });
    });

    it('switches from near to far exactly one word beyond the near reach', () => {
      const site = 0x4000_0000n;
      expect(encoder.mediatorStub(site, 1, site + near.reach - 4n)).toHaveLength(8);
      expect(encoder.mediatorStub(site, 1, site + near.reach)).toHaveLength(12);
      expect(encoder.mediatorStub(site, 1, site - near.reach)).toHaveLength(8);
      expect(encoder.mediatorStub(site, 1, site - near.reach - 4n)).toHaveLength(12);
    });

    it('rejects an index outside 0..4095, and on sparc64 an entry it cannot reach in 12 bytes', () => {
      for (const i of [-1, 4096, 0.5]) expect(() => encoder.mediatorStub(0x110000n, i, 0x120000n)).toThrow(RangeError);
      if (wide) expect(() => encoder.mediatorStub(0x110000n, 1, 1n << 32n)).toThrow(EncodingRangeError);
    });
  });

  describe('relocate', () => {
    interface Form { readonly kind: RelocationKind; readonly source: (site: bigint, value: bigint) => string; readonly value: () => bigint }
    const anyAddress = (): bigint => random.below(1n << BigInt(bits));
    const below = (limitBits: bigint) => (): bigint => random.below(1n << (limitBits < BigInt(bits) ? limitBits : BigInt(bits)));
    const forms: Form[] = [
      { kind: 'sparc.hi22', source: (_, v) => `sethi %hi(${hex(v)}), %o3`, value: below(32n) },
      { kind: 'sparc.lo10', source: (_, v) => `or %o3, %lo(${hex(v)}), %o3`, value: anyAddress },
      { kind: 'sparc.lo10', source: (_, v) => `ld [%g3 + %lo(${hex(v)})], %o0`, value: anyAddress },
      { kind: 'sparc.h44', source: (_, v) => `sethi %h44(${hex(v)}), %o1`, value: below(44n) },
      { kind: 'sparc.m44', source: (_, v) => `or %o1, %m44(${hex(v)}), %o1`, value: below(44n) },
      { kind: 'sparc.l44', source: (_, v) => `ld [%o1 + %l44(${hex(v)})], %o2`, value: below(44n) },
      { kind: 'sparc.hh22', source: (_, v) => `sethi %hh(${hex(v)}), %l1`, value: anyAddress },
      { kind: 'sparc.hm10', source: (_, v) => `or %l1, %hm(${hex(v)}), %l1`, value: anyAddress },
      // Keystone has no %lm; %hi of the low 32 bits is the same field.
      { kind: 'sparc.lm22', source: (_, v) => `sethi %hi(${hex(v & 0xffff_ffffn)}), %l2`, value: anyAddress },
    ];
    const pcForms: Array<Form & { readonly reach: bigint }> = [
      { kind: 'sparc.disp30', source: (s, t) => `call ${relative(isa, s, t)}`, value: anyAddress, reach: wide ? 2n * GiB : 1n << 32n },
      { kind: 'sparc.disp22', source: (s, t) => `bne ${relative(isa, s, t)}`, value: anyAddress, reach: 8n * MiB },
      ...(wide ? [{ kind: 'sparc.disp19' as const, source: (s: bigint, t: bigint) => `bne,pn %icc, ${relative(isa, s, t)}`, value: anyAddress, reach: MiB }] : []),
    ];

    function expectRelocated(form: Form, site: bigint, from: bigint, to: bigint): void {
      const context = `${form.source(site, to)} at ${hex(site)} (from ${hex(from)})`;
      const original = keystone(toolchain, isa, form.source(site, from), site);
      const relocated = encoder.relocate({ kind: form.kind, fieldOffset: 0 }, original, site, to);
      expect(hexBytes(relocated), context).toBe(hexBytes(keystone(toolchain, isa, form.source(site, to), site)));
      expect(hexBytes(original), `${context}: relocate must not modify its input`).toBe(hexBytes(keystone(toolchain, isa, form.source(site, from), site)));
    }

    it('rewrites %hi %lo %h44 %m44 %l44 %hh %hm %lm fields as keystone would assemble them', () => {
      for (const form of forms) {
        for (let i = 0; i < CASES / 5; i++) expectRelocated(form, random.site(bits, 4n), form.value(), form.value());
      }
    });

    it('rewrites call, Bicc and BPcc displacements as keystone would assemble them, up to each reach', () => {
      for (const form of pcForms) {
        for (let i = 0; i < CASES / 3; i++) {
          const [site, from] = nearPair(form.reach);
          expectRelocated(form, site, from, wrap(site + (random.distance(form.reach - 4n) & ~3n)));
        }
        for (const site of edgeSites) {
          for (const to of edges(site, form.reach).inside) expectRelocated(form, site, site, to);
        }
      }
    });

    it('throws EncodingRangeError one word beyond each displacement\'s reach', () => {
      const word = encoder.call(0x110000n, 0x110000n);
      const kinds: Array<[RelocationKind, bigint]> = [['sparc.disp22', 8n * MiB], ...(wide ? [['sparc.disp19', MiB], ['sparc.disp30', 2n * GiB]] as Array<[RelocationKind, bigint]> : [])];
      for (const [kind, reach] of kinds) {
        for (const site of edgeSites) {
          for (const target of edges(site, reach).beyond) {
            expect(() => encoder.relocate({ kind, fieldOffset: 0 }, word, site, target), `${kind} ${hex(site)} -> ${hex(target)}`).toThrow(EncodingRangeError);
          }
        }
      }
      expect(() => encoder.relocate({ kind: 'sparc.disp22', fieldOffset: 0 }, word, 0x110000n, 0x910000n)).toThrow(
        /^sparc\.disp22 field of 0x40000000 at 0x110000 cannot reach 0x910000: its reach is ±8 MiB$/,
      );
    });

    it('keeps every bit outside the field, and range-checks the fields that hold a value\'s top bits', () => {
      const ones = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
      expect(hexBytes(encoder.relocate({ kind: 'sparc.hi22', fieldOffset: 0 }, ones, 0n, 0n))).toBe('ffc00000');
      expect(hexBytes(encoder.relocate({ kind: 'sparc.lo10', fieldOffset: 0 }, ones, 0n, 0xfffn))).toBe('ffffe3ff');
      expect(hexBytes(encoder.relocate({ kind: 'sparc.l44', fieldOffset: 0 }, ones, 0n, 0xfffn))).toBe('ffffefff');
      if (!wide) return;
      expect(() => encoder.relocate({ kind: 'sparc.hi22', fieldOffset: 0 }, ones, 0n, 1n << 32n)).toThrow(EncodingRangeError);
      expect(() => encoder.relocate({ kind: 'sparc.h44', fieldOffset: 0 }, ones, 0n, 1n << 44n)).toThrow(EncodingRangeError);
      expect(hexBytes(encoder.relocate({ kind: 'sparc.hh22', fieldOffset: 0 }, ones, 0n, (1n << 64n) - 1n))).toBe('ffffffff');
    });

    it('refuses x86 relocations, a field offset, a partial word and a misaligned target', () => {
      const word = encoder.call(0x110000n, 0x110000n);
      expect(() => encoder.relocate({ kind: 'x86.rel32', fieldOffset: 0 }, word, 0n, 0n)).toThrow(RangeError);
      expect(() => encoder.relocate({ kind: 'sparc.hi22', fieldOffset: 1 }, word, 0n, 0n)).toThrow(RangeError);
      expect(() => encoder.relocate({ kind: 'sparc.hi22', fieldOffset: 0 }, word.subarray(0, 3), 0n, 0n)).toThrow(RangeError);
      expect(() => encoder.relocate({ kind: 'sparc.disp30', fieldOffset: 0 }, word, 0x110000n, 0x110002n)).toThrow(RangeError);
      expect(() => encoder.call(0x110002n, 0x110000n)).toThrow(RangeError);
      if (!wide) expect(() => encoder.relocate({ kind: 'sparc.disp19', fieldOffset: 0 }, word, 0n, 0n)).toThrow(RangeError);
    });
  });

  it('documents its scratch registers', () => {
    expect(encoder.scratchRegisters).toEqual(['%g1', '%g5']);
    expect(encoder.stubSlotBytes).toBe(12);
  });
});

describe('keystone and capstone quirks (SPARC)', () => {
  it('keystone quirk: call <number> puts (number - site) into disp30 in bytes, not words', () => {
    // `call 0x110048` at 0x110000 should be disp30 = 0x12; keystone writes 0x48, a call
    // to 0x110120. At site 0 the number thus becomes the raw field; a negative number
    // turns the call into a jmpl. References use `call . + n` instead.
    expect(hexBytes(keystone(toolchain, 'sparc32', 'call 0x110048', 0x110000n))).toBe('40000048');
    expect(hexBytes(keystone(toolchain, 'sparc64', 'call 0x40000123', 0n))).toBe('40000123');
    expect(capstone(toolchain, 'sparc32', keystone(toolchain, 'sparc32', 'call -8', 0x110000n), 0x110000n)[0]?.mnemonic).toBe('call');
    expect(hexBytes(keystone(toolchain, 'sparc32', 'call -8', 0x110000n))).toBe('9fc03ff8'); // jmpl %g0 - 8, %o7
    expect(hexBytes(keystone(toolchain, 'sparc32', 'call . + 0x48', 0x110000n))).toBe('40000012');
  });

  it('keystone quirk: sparc64 ba,a,pt %xcc, <number> takes the number as the raw disp19 field', () => {
    expect(hexBytes(keystone(toolchain, 'sparc64', 'ba,a,pt %xcc, 0x10', 0x110000n))).toBe('30680010');
    expect(hexBytes(keystone(toolchain, 'sparc64', 'ba,a,pt %xcc, . + 0x10', 0x110000n))).toBe('30680004');
    expect(hexBytes(keystone(toolchain, 'sparc64', 'ba,a,pt %xcc, x\nnop\nnop\nnop\nx: nop', 0x110000n)).slice(0, 8)).toBe('30680004');
  });

  it('keystone quirk: sparc32 ba,a <number> is an absolute target (correct, unlike call and BPcc)', () => {
    expect(hexBytes(keystone(toolchain, 'sparc32', 'ba,a 0x120000', 0x110000n))).toBe('30804000');
  });

  it('keystone quirk: branch operands refuse label arithmetic but take . + n; a .set symbol is a displacement', () => {
    expect(() => keystone(toolchain, 'sparc64', 'ba,a,pt %xcc, x + 4\nx: nop', 0x110000n)).toThrow(/Invalid operand/);
    // `.set x, 0x120000` then `ba,a x` at 0x110000 branches to 0x230000.
    expect(hexBytes(keystone(toolchain, 'sparc32', '.set x, 0x120000\nba,a x', 0x110000n))).toBe('30848000');
  });

  it('keystone quirk: SPARC branch and call displacements are not range-checked', () => {
    // One word beyond ba,a's reach wraps silently to the most negative displacement.
    expect(hexBytes(keystone(toolchain, 'sparc32', 'ba,a . + 0x800000', 0x110000n))).toBe('30a00000');
    expect(hexBytes(keystone(toolchain, 'sparc64', 'ba,a,pt %xcc, . + 0x100000', 0x110000n))).toBe('306c0000');
  });

  it('keystone quirk: no %lm operator', () => {
    expect(() => keystone(toolchain, 'sparc64', 'sethi %lm(0x123456789abcdef0), %g5', 0x110000n)).toThrow(/Invalid operand/);
    expect(hexBytes(keystone(toolchain, 'sparc64', 'sethi %hi(0x9abcdef0), %g5', 0x110000n))).toBe('0b26af37');
  });

  it('keystone quirk: sparc64 .xword/.quad of a label puts its low 32 bits in the high half (so the assembler refuses it)', () => {
    expect(() => keystone(toolchain, 'sparc64', 'x: nop\n.xword x', 0x1_2345_6000n)).toThrow(/low 32 bits of 'x' in the high half/);
    expect(hexBytes(keystone(toolchain, 'sparc64', '.xword 0x123456789', 0x110000n))).toBe('0000000123456789');
  });

  it('keystone quirk: sparc32 has no BPcc', () => {
    expect(() => keystone(toolchain, 'sparc32', 'bne,pn %icc, . + 0x10', 0x110000n)).toThrow(/Missing CPU feature/);
  });

  it('capstone quirk: the SPARC target -2^31 prints as -0xffffffff80000000', () => {
    const call = encoderFor('sparc64').call(0n, 0xffff_ffff_8000_0000n);
    expect(capstone(toolchain, 'sparc64', call, 0n)[0]?.operands).toBe(CAPSTONE_MINUS_2_POW_31);
    expect(lastNumber('sparc64', CAPSTONE_MINUS_2_POW_31)).toBe(0xffff_ffff_8000_0000n);
  });

  it('capstone quirk: SPARC targets print as signed 64-bit and sparc32 ones do not wrap at 4 GiB', () => {
    expect(capstone(toolchain, 'sparc64', encoderFor('sparc64').call(0xffff_ffff_ffff_f000n, 0xffff_ffff_ffff_f100n), 0xffff_ffff_ffff_f000n)[0]?.operands).toBe('-0xf00');
    expect(capstone(toolchain, 'sparc32', encoderFor('sparc32').call(0xffff_fff0n, 0x10n), 0xffff_fff0n)[0]?.operands).toBe('0x100000010');
  });
});
