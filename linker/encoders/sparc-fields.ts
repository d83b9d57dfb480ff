// SPARC instruction words and the relocatable fields inside them. The trampolines and
// stubs are built from the same field table that `relocate` patches, so a hand-built
// sequence and a relocated one cannot disagree.

import type { RelocationKind } from './encoder.js';
import { EncodingRangeError, displacement, fitsSigned, hex, signedReach, type AddressBits } from './reach.js';

export const G0 = 0;
export const G1 = 1;
export const G5 = 5;
/** sethi 0, %g0 */
export const NOP = 0x01000000;

const BRANCH_ALWAYS = 8;
const ANNUL = 1 << 29;

/** 00 rd 100 imm22: rd = imm22 << 10 */
export function sethi(imm22: number, rd: number): number {
  return ((rd << 25) | (0b100 << 22) | imm22) >>> 0;
}

/** 10 rd op3 rs1 1 simm13: format 3 with a sign-extended 13-bit immediate */
function format3Immediate(op3: number, rs1: number, simm13: number, rd: number): number {
  return ((0b10 << 30) | (rd << 25) | (op3 << 19) | (rs1 << 14) | (1 << 13) | (simm13 & 0x1fff)) >>> 0;
}

/** op3 111000, 0x81c02000 | rd << 25 | rs1 << 14 | simm13: jumps to rs1 + simm13, rd = pc */
export function jmpl(rs1: number, simm13: number, rd: number): number {
  return format3Immediate(0x38, rs1, simm13, rd);
}

/** op3 000010, 0x80102000 | rd << 25 | rs1 << 14 | simm13 */
export function orImmediate(rs1: number, simm13: number, rd: number): number {
  return format3Immediate(0x02, rs1, simm13, rd);
}

/** 10 rd 000010 rs1 0 (unused 8) rs2: 0x80100000 | rd << 25 | rs1 << 14 | rs2 */
export function orRegister(rs1: number, rs2: number, rd: number): number {
  return ((0b10 << 30) | (rd << 25) | (0x02 << 19) | (rs1 << 14) | rs2) >>> 0;
}

/** sllx, op3 100101, 0x81283000 | rd << 25 | rs1 << 14 | count: bit 12 (x) selects the 64-bit shift with a 6-bit count. */
export function sllx(rs1: number, count: number, rd: number): number {
  return format3Immediate(0x25, rs1, (1 << 12) | count, rd);
}

/** 01 disp30, 0x40000000 | disp30: %o7 = pc, then pc + 4 * disp30 after the delay slot */
export function call(disp30: number): number {
  return ((0b01 << 30) | disp30) >>> 0;
}

/** Bicc `ba` (op2 = 010), 0x10800000 | a << 29 | disp22, optionally annulled. */
export function branchAlways(annul: boolean, disp22: number): number {
  return ((annul ? ANNUL : 0) | (BRANCH_ALWAYS << 25) | (0b010 << 22) | disp22) >>> 0;
}

/** BPcc `ba,pt %xcc` (op2 = 001, cc1 = 1, cc0 = 0, p = 1), 0x10680000 | a << 29 | disp19, optionally annulled. */
export function branchAlwaysXcc(annul: boolean, disp19: number): number {
  return ((annul ? ANNUL : 0) | (BRANCH_ALWAYS << 25) | (0b001 << 22) | (0b10 << 20) | (1 << 19) | disp19) >>> 0;
}

/** SPARC words in memory order: big-endian. */
export function words(...values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value));
  return bytes;
}

/** Bits 0..width-1 hold bits shift..shift+valueBits-1 of the value; `limit` bits hold all of it. */
interface AbsoluteField { readonly width: number; readonly shift: number; readonly valueBits: number; readonly limit?: number }

/** Width of each pc-relative field: a displacement in words from the instruction. */
const PC_RELATIVE: Partial<Record<RelocationKind, number>> = {
  'sparc.disp30': 30,
  'sparc.disp22': 22,
  'sparc.disp19': 19,
};

// The field that holds a value's top bits (hi22, h44) rejects a value with bits above
// them: the sequence it heads would build a different address.
const ABSOLUTE: Partial<Record<RelocationKind, AbsoluteField>> = {
  'sparc.hi22': { width: 22, shift: 10, valueBits: 22, limit: 32 },
  'sparc.lo10': { width: 13, shift: 0, valueBits: 10 },
  'sparc.h44': { width: 22, shift: 22, valueBits: 22, limit: 44 },
  'sparc.m44': { width: 13, shift: 12, valueBits: 10 },
  'sparc.l44': { width: 13, shift: 0, valueBits: 12 },
  'sparc.hh22': { width: 22, shift: 42, valueBits: 22 },
  'sparc.hm10': { width: 13, shift: 32, valueBits: 10 },
  'sparc.lm22': { width: 22, shift: 10, valueBits: 22 },
};

export function fieldWidth(kind: RelocationKind): number {
  const width = PC_RELATIVE[kind] ?? ABSOLUTE[kind]?.width;
  if (width === undefined) throw new RangeError(`relocation ${kind} is not a SPARC field`);
  return width;
}

// A word displacement of `width` bits spans width+2 bits of bytes; on sparc32 the
// 30-bit call thus reaches the whole (wrapping) address space.
function reachBits(kind: RelocationKind): number {
  return fieldWidth(kind) + 2;
}

/** Whether the pc-relative field `kind` of an instruction at `site` reaches `target`. */
export function reaches(kind: RelocationKind, site: bigint, target: bigint, bits: AddressBits): boolean {
  return fitsSigned(displacement(site, target, bits), reachBits(kind));
}

/**
 * The value of field `kind` for `target`, referenced by an instruction at `site`;
 * `instruction` names it in the error when the target does not fit.
 */
export function fieldValue(kind: RelocationKind, site: bigint, target: bigint, bits: AddressBits, instruction: string): number {
  const width = PC_RELATIVE[kind];
  if (width !== undefined) {
    if (!reaches(kind, site, target, bits)) throw new EncodingRangeError(instruction, site, target, signedReach(reachBits(kind)));
    const distance = displacement(site, target, bits);
    if (distance % 4n !== 0n) throw new RangeError(`${instruction} at ${hex(site)}: target ${hex(target)} is not word aligned`);
    return Number(BigInt.asUintN(width, distance >> 2n));
  }
  const field = ABSOLUTE[kind];
  if (!field) throw new RangeError(`relocation ${kind} is not a SPARC field`);
  if (field.limit !== undefined && target >= 1n << BigInt(field.limit)) {
    throw new EncodingRangeError(instruction, site, target, `targets below 2^${field.limit}`);
  }
  return Number(BigInt.asUintN(field.valueBits, target >> BigInt(field.shift)));
}

/** `word` with its low `width` bits replaced by `value`. */
export function withField(word: number, width: number, value: number): number {
  return ((word & ~(2 ** width - 1)) | value) >>> 0;
}
