import type { Relocation, RelocationKind } from '../encoders/encoder.js';
import { encoderFor } from '../encoders/registry.js';
import { ISAS, unreachable, type IsaName } from '../../isa/index.js';
import { LinkError } from '../link-error.js';
import type { Disassembler } from '../toolchain/disassembler.js';
import type { ModuleReference } from './compiled-module.js';

// References to other modules are found by assembling a module twice with different
// placeholder addresses for one external symbol and comparing the bytes: every byte
// that moved belongs to a reference to that symbol. Each one is classified as a known
// relocation kind, and the linker's own encoder must reproduce both assemblies from it.

/** Placeholder addresses: far apart, below 2 GiB (x86-64 absolute immediates), low 10 bits set (SPARC `set`). */
export function placeholder(run: 'a' | 'b', index: number): number {
  return (run === 'a' ? 0x4000_0124 : 0x5000_0248) + index * 0x1_0000;
}

export interface Assembly {
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Label addresses: instruction boundaries the x86 decoder can start from. */
  readonly boundaries: readonly number[];
}

const SPARC_SETHI_KINDS: readonly RelocationKind[] = ['sparc.hi22', 'sparc.h44', 'sparc.hh22', 'sparc.lm22'];
const SPARC_IMMEDIATE_KINDS: readonly RelocationKind[] = ['sparc.lo10', 'sparc.m44', 'sparc.l44', 'sparc.hm10'];
const SPARC_BRANCH_KINDS: readonly RelocationKind[] = ['sparc.disp22', 'sparc.disp19'];

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export class ReferenceFinder {
  constructor(private readonly isa: IsaName, private readonly disassembler: Disassembler,
              private readonly file: string) {}

  /** References to `symbol`, given the module assembled with it at `a` and at `b`. */
  find(symbol: string, base: Assembly, moved: Assembly, a: number, b: number): ModuleReference[] {
    const sites = new Set<number>();
    for (let i = 0; i < base.bytes.length; i++) {
      if (base.bytes[i] !== moved.bytes[i]) sites.add(this.instructionAt(base, base.address + i).address);
    }
    return [...sites].sort((x, y) => x - y).map((site) => this.classify(symbol, base, moved, site, a, b));
  }

  /** The instruction that holds `address`: fixed-length SPARC words, decoded x86 instructions. */
  private instructionAt(unit: Assembly, address: number): { readonly address: number; readonly size: number } {
    const family = ISAS[this.isa].family;
    switch (family) {
      case 'sparc': {
        const size = ISAS[this.isa].instructionAlign;
        return { address: address - (address % size), size };
      }
      case 'x86': return this.x86Instruction(unit, address);
      default: return unreachable(family);
    }
  }

  private relocation(site: number, before: Uint8Array, after: Uint8Array, a: number, b: number): Relocation {
    const family = ISAS[this.isa].family;
    switch (family) {
      case 'sparc': return this.sparcRelocation(site, before, after, a, b);
      case 'x86': return this.x86Relocation(site, before, after, a, b);
      default: return unreachable(family);
    }
  }

  // Capstone stops at bytes it cannot decode, so decoding starts from the nearest label
  // before the address rather than from the top of the module.
  private x86Instruction(unit: Assembly, address: number) {
    const start = Math.max(unit.address, ...unit.boundaries.filter((label) => label <= address));
    const code = unit.bytes.subarray(start - unit.address);
    for (const insn of this.disassembler.disassemble(this.isa, code, start)) {
      if (insn.address <= address && address < insn.address + insn.size) return insn;
      if (insn.address > address) break;
    }
    throw this.error(address, 'a reference to an external symbol sits in bytes that do not decode as an instruction');
  }

  private classify(symbol: string, base: Assembly, moved: Assembly, site: number, a: number, b: number): ModuleReference {
    const length = this.instructionAt(base, site).size;
    const offset = site - base.address;
    const before = base.bytes.subarray(offset, offset + length);
    const after = moved.bytes.subarray(offset, offset + length);
    const relocation = this.relocation(site, before, after, a, b);
    const instruction = this.verify(symbol, site, before, relocation, a);
    return { symbol, site, length, relocation, instruction };
  }

  private x86Relocation(site: number, before: Uint8Array, after: Uint8Array, a: number, b: number): Relocation {
    const [insn] = this.disassembler.disassemble(this.isa, before, site, 1);
    const delta = (a - b) >>> 0;
    const view = (bytes: Uint8Array, at: number) =>
      new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
    for (let field = 0; field + 4 <= before.length; field++) {
      const outside = before.every((byte, i) => (i >= field && i < field + 4) || byte === after[i]);
      if (!outside || ((view(before, field) - view(after, field)) >>> 0) !== delta) continue;
      const pcRelative = insn !== undefined && (/^(call|jmp|j[a-z]+)$/.test(insn.mnemonic) && field + 4 === before.length
        || insn.operands.includes('rip'));
      return { kind: pcRelative ? 'x86.rel32' : 'x86.abs32', fieldOffset: field };
    }
    throw this.error(site, 'the reference is not a 32-bit absolute or pc-relative field');
  }

  private sparcRelocation(site: number, before: Uint8Array, after: Uint8Array, a: number, b: number): Relocation {
    const encoder = encoderFor(this.isa);
    const word = (before[0]! << 24 | before[1]! << 16 | before[2]! << 8 | before[3]!) >>> 0;
    const op = word >>> 30;
    // Keystone encodes `call <constant>` with the constant as the displacement (tests/linker/encoders-sparc),
    // so a call is recognised by its opcode and checked against capstone instead.
    if (op === 1) return { kind: 'sparc.disp30', fieldOffset: 0 };
    const candidates = op === 0
      ? ((word >>> 22) & 7) === 4 ? SPARC_SETHI_KINDS : SPARC_BRANCH_KINDS
      : ((word >>> 13) & 1) === 1 ? SPARC_IMMEDIATE_KINDS : [];
    for (const kind of candidates) {
      const relocation = { kind, fieldOffset: 0 };
      try {
        if (equal(encoder.relocate(relocation, before, BigInt(site), BigInt(a)), before)
          && equal(encoder.relocate(relocation, before, BigInt(site), BigInt(b)), after)) return relocation;
      } catch {
        // Out of this kind's reach: not this kind.
      }
    }
    throw this.error(site, 'the reference is not a call, %hi/%lo, %h44/%m44/%l44 or %hh/%hm/%lm field');
  }

  /** Re-encodes the reference for placeholder `a` and checks capstone's reading of it. */
  private verify(symbol: string, site: number, before: Uint8Array, relocation: Relocation, a: number): string {
    const patched = encoderFor(this.isa).relocate(relocation, before, BigInt(site), BigInt(a));
    const [insn] = this.disassembler.disassemble(this.isa, patched, site, 1);
    if (!insn) throw this.error(site, `the reference to ${symbol} re-encodes to bytes capstone cannot decode`);
    const text = insn.operands ? `${insn.mnemonic} ${insn.operands}` : insn.mnemonic;
    const isTransfer = relocation.kind === 'sparc.disp30' || relocation.kind === 'sparc.disp22'
      || relocation.kind === 'sparc.disp19' || (relocation.kind === 'x86.rel32' && !insn.operands.includes('rip'));
    if (isTransfer && !insn.operands.includes(`0x${a.toString(16)}`)) {
      throw this.error(site, `the reference to ${symbol} re-encodes as '${text}', not a transfer to 0x${a.toString(16)}`);
    }
    return text;
  }

  private error(address: number, reason: string): LinkError {
    return new LinkError(`${this.file}: at 0x${address.toString(16)}: ${reason}`);
  }
}
