// Applying relocations, as GNU ld does
// ====================================
//
// A relocation (elf-object.ts) asks the linker to compute a value once addresses are
// known and write it into a field of a section. Each psABI names its kinds and gives
// each a formula over three quantities:
//   S  the symbol's address (for a section symbol, where that section was placed);
//   A  the addend: the constant in `sym + 8`, or the -4 that makes a rel32 relative to
//      the end of x86's call instruction rather than to its field;
//   P  the place: the address the field itself will have.
// `S + A` is an absolute address, `S + A - P` a pc-relative displacement. The value is
// then cut to the field: a whole 32- or 64-bit word in the section's byte order, or the
// immediate of one 32-bit SPARC instruction, of which some bits are taken (HI22 writes
// bits 10..31 of the value into the 22-bit immediate of `sethi`; WDISP22 writes the
// displacement in words, value >> 2, into a branch).
//
// Where the addend lives. RELA entries carry A; REL entries leave it in the field, so
// for them the caller reads it first with `implicitAddend` (i386 is the only REL
// machine here: its fields are whole words, so the addend is the word, sign-extended).
//
// Overflow. A value that does not fit its field is refused as ld refuses it ("relocation
// truncated to fit"), and only then: the checks are ld's, not the psABI's prose, and
// tests/linker/elf pins each kind against ld at the edges of its range. ld computes in
// the object's address width and checks a field in one of three ways: signed (the value
// as a signed number fits: displacements, x86-64's _32S), unsigned (x86-64's _32,
// H44), or "either" (it fits as signed or as unsigned, so a 13-bit field takes -8192 to
// 8191: R_SPARC_13, R_SPARC_32 on sparc64). A field as wide as the address never
// overflows, since the value wraps with the address: i386's PC32 and sparc32's WDISP30
// and DISP32 reach every address. The halves of a split address (HI22/LO10, the 44-bit
// and 64-bit pieces) are unchecked, except H44's top piece, which says the whole value
// must lie below 2^44; ld checks HI22 on sparc64 no more than on sparc32.
//
// SPARC's code models decide which pieces gcc writes for an address. medlow assumes
// every address below 4 GiB: `sethi %hi(x)`, then %lo(x) in the instruction that uses
// the address (HI22, LO10). medmid allows 44 bits (below 16 TiB): `sethi %h44(x)`,
// `or %m44(x)`, `sllx 12`, then %l44(x) in the using instruction (H44, M44, L44).
// medany allows any address: the top 32 bits by `sethi %hh(x)` and `or %hm(x)`, the
// low 32 by `sethi %lm(x)` into another register, the two joined by a shift and an
// add, then %lo(x) (HH22, HM10, LM22, LO10). OLO10 is LO10 with a second constant
// added after the cut: gas writes it for `ld [%g1 + %lo(x) + 0x20]`, and ELF64 SPARC
// packs that constant into r_info (elf-object.ts), passed here as A2.
//
// One table per machine, keyed by type number, names every kind clustervm applies; a
// type missing from it is an `UnknownRelocationError`, never a guess. The PLT kinds are
// the plain pc-relative kind: clustervm links statically, with no PLT, so L = S.

import { ELF_MACHINES, EM_386, EM_SPARC, EM_SPARC32PLUS, EM_SPARCV9, EM_X86_64, SHN_UNDEF, type ElfMachine, type ElfObject } from './elf-object.js';

/** The bytes a relocation patches and the address they will have. */
export interface RelocationPlace {
  readonly bytes: Uint8Array;
  /** Where the field starts in `bytes`. */
  readonly offset: number;
  /** P: the address of `bytes[offset]` once the section is placed. */
  readonly address: bigint;
}

/** The psABI formula of a kind; O is OLO10's second addend. */
type Formula = 'S + A' | 'S + A - P' | 'L + A - P' | '((S + A) & 0x3ff) + O';

/** A whole word, or the low `bits` of a 32-bit instruction taking the value shifted right by `shift`. */
type Field = { readonly word: 4 | 8 } | { readonly bits: number; readonly shift: number };

/** How ld checks that the value fits (see the essay above); `none` writes the cut value whatever it was. */
type Overflow = 'signed' | 'unsigned' | 'either' | 'none';

interface KindSpec {
  readonly name: string;
  readonly formula: Formula;
  readonly field: Field;
  readonly overflow: Overflow;
}

export interface RelocationKind extends KindSpec {
  /** Writes the field for symbol value S, addend A and second addend A2. */
  readonly apply: (place: RelocationPlace, S: bigint, A: bigint, A2: bigint) => void;
}

export class RelocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelocationError';
  }
}

/** A value ld would report as "relocation truncated to fit". */
export class RelocationRangeError extends RelocationError {
  constructor(readonly kind: string, readonly value: bigint, readonly min: bigint, readonly max: bigint, formula: Formula) {
    super(`${kind}: ${formula} is ${signedHex(value)}, which does not fit the field (${signedHex(min)} to ${signedHex(max)})`);
    this.name = 'RelocationRangeError';
  }
}

export class UnknownRelocationError extends RelocationError {
  constructor(readonly machine: ElfMachine, readonly type: number) {
    super(`relocation type ${type} is not one clustervm applies for ${ELF_MACHINES[machine].name}`);
    this.name = 'UnknownRelocationError';
  }
}

const signedHex = (value: bigint) => (value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`);

const word32: Field = { word: 4 };
const word64: Field = { word: 8 };
const instruction = (bits: number, shift = 0): Field => ({ bits, shift });

const I386: Readonly<Record<number, KindSpec>> = {
  // `.long sym`, `mov eax, sym`: an absolute address.
  1: { name: 'R_386_32', formula: 'S + A', field: word32, overflow: 'none' },
  // `call sym` (the field holds -4): wraps around the 4 GiB address space unchecked.
  2: { name: 'R_386_PC32', formula: 'S + A - P', field: word32, overflow: 'none' },
  // `call sym@PLT`.
  4: { name: 'R_386_PLT32', formula: 'L + A - P', field: word32, overflow: 'none' },
};

const X86_64: Readonly<Record<number, KindSpec>> = {
  // `.quad sym`: pointers in data and debug information.
  1: { name: 'R_X86_64_64', formula: 'S + A', field: word64, overflow: 'none' },
  // `lea sym(%rip)`, `mov sym(%rip)`: A is -4 (or less, for an immediate after the field).
  2: { name: 'R_X86_64_PC32', formula: 'S + A - P', field: word32, overflow: 'signed' },
  // `call sym`, `jmp sym` (gas writes PLT32 for every call since binutils 2.31).
  4: { name: 'R_X86_64_PLT32', formula: 'L + A - P', field: word32, overflow: 'signed' },
  // `movl $sym, %eax`: zero-extended, so the address must lie below 4 GiB.
  10: { name: 'R_X86_64_32', formula: 'S + A', field: word32, overflow: 'unsigned' },
  // `movq $sym, %rax`, `sym(,%rax,4)`: sign-extended, the low 2 GiB or the top 2 GiB.
  11: { name: 'R_X86_64_32S', formula: 'S + A', field: word32, overflow: 'signed' },
};

/** The SPARC kinds of V8 code, for every SPARC machine. */
const SPARC_V8: Readonly<Record<number, KindSpec>> = {
  // `.word sym`, aligned.
  3: { name: 'R_SPARC_32', formula: 'S + A', field: word32, overflow: 'either' },
  // `.word sym - .`: wraps unchecked on sparc32, ±2 GiB on sparc64.
  6: { name: 'R_SPARC_DISP32', formula: 'S + A - P', field: word32, overflow: 'signed' },
  // `call sym`: 30 bits of words, every address on sparc32, ±2 GiB on sparc64.
  7: { name: 'R_SPARC_WDISP30', formula: 'S + A - P', field: instruction(30, 2), overflow: 'signed' },
  // `ba sym`, `bne sym` (Bicc): ±8 MiB.
  8: { name: 'R_SPARC_WDISP22', formula: 'S + A - P', field: instruction(22, 2), overflow: 'signed' },
  // `sethi %hi(sym), %g1`: bits 10..31 of the address, unchecked.
  9: { name: 'R_SPARC_HI22', formula: 'S + A', field: instruction(22, 10), overflow: 'none' },
  // `mov sym, %o0` (simm13).
  11: { name: 'R_SPARC_13', formula: 'S + A', field: instruction(13), overflow: 'either' },
  // `or %g1, %lo(sym), %g1`, `ld [%g1 + %lo(sym)]`: bits 0..9, into the low 10 bits of simm13.
  12: { name: 'R_SPARC_LO10', formula: 'S + A', field: instruction(10), overflow: 'none' },
  // `.uaword sym`, and the words of DWARF debug information, at any alignment.
  23: { name: 'R_SPARC_UA32', formula: 'S + A', field: word32, overflow: 'either' },
};

/** The V9 branch that V8+ code (EM_SPARC32PLUS) may use beside V8's. */
const SPARC_V8PLUS: Readonly<Record<number, KindSpec>> = {
  // `ba,pt %xcc, sym` (BPcc): ±1 MiB.
  41: { name: 'R_SPARC_WDISP19', formula: 'S + A - P', field: instruction(19, 2), overflow: 'signed' },
};

/** The 64-bit kinds of sparc64 code. */
const SPARC_V9: Readonly<Record<number, KindSpec>> = {
  // `.xword sym`, aligned.
  32: { name: 'R_SPARC_64', formula: 'S + A', field: word64, overflow: 'none' },
  // `ld [%g1 + %lo(sym) + 0x20]`: LO10's bits plus a second addend, as a signed simm13.
  33: { name: 'R_SPARC_OLO10', formula: '((S + A) & 0x3ff) + O', field: instruction(13), overflow: 'signed' },
  // medany `sethi %hh(sym)`: bits 42..63.
  34: { name: 'R_SPARC_HH22', formula: 'S + A', field: instruction(22, 42), overflow: 'none' },
  // medany `or %hm(sym)`: bits 32..41.
  35: { name: 'R_SPARC_HM10', formula: 'S + A', field: instruction(10, 32), overflow: 'none' },
  // medany `sethi %lm(sym)`: bits 10..31, as HI22.
  36: { name: 'R_SPARC_LM22', formula: 'S + A', field: instruction(22, 10), overflow: 'none' },
  // medmid `sethi %h44(sym)`: bits 22..43; the address must lie below 2^44.
  50: { name: 'R_SPARC_H44', formula: 'S + A', field: instruction(22, 22), overflow: 'unsigned' },
  // medmid `or %m44(sym)`: bits 12..21.
  51: { name: 'R_SPARC_M44', formula: 'S + A', field: instruction(10, 12), overflow: 'none' },
  // medmid `%l44(sym)`: bits 0..11, into the low 12 bits of simm13.
  52: { name: 'R_SPARC_L44', formula: 'S + A', field: instruction(12), overflow: 'none' },
  // `.uaxword sym`, and DWARF's addresses.
  54: { name: 'R_SPARC_UA64', formula: 'S + A', field: word64, overflow: 'none' },
};

const ones = (bits: number) => (1n << BigInt(bits)) - 1n;

/** The range ld lets the value have, in the machine's address width; undefined when every value fits. */
function allowedRange(spec: KindSpec, addressBits: number): { min: bigint; max: bigint; signed: boolean } | undefined {
  const bits = 'word' in spec.field ? spec.field.word * 8 : spec.field.bits + spec.field.shift;
  if (spec.overflow === 'none' || bits >= addressBits) return undefined;
  const limit = 1n << BigInt(bits);
  switch (spec.overflow) {
    case 'signed': return { min: -(limit >> 1n), max: (limit >> 1n) - 1n, signed: true };
    case 'either': return { min: -limit, max: limit - 1n, signed: true };
    case 'unsigned': return { min: 0n, max: limit - 1n, signed: false };
  }
}

function evaluate(formula: Formula, S: bigint, A: bigint, P: bigint, A2: bigint): bigint {
  switch (formula) {
    case 'S + A': return S + A;
    case 'S + A - P': return S + A - P;
    case 'L + A - P': return S + A - P;
    case '((S + A) & 0x3ff) + O': return ((S + A) & 0x3ffn) + A2;
  }
}

function fieldBytes(field: Field): number {
  return 'word' in field ? field.word : 4;
}

function checkPlace(name: string, place: RelocationPlace, bytes: number): void {
  if (!Number.isInteger(place.offset) || place.offset < 0 || place.offset + bytes > place.bytes.length) {
    throw new RelocationError(`${name} at offset ${place.offset} needs ${bytes} bytes, but the section holds ${place.bytes.length}`);
  }
}

function define(machine: ElfMachine, specs: Readonly<Record<number, KindSpec>>): Readonly<Record<number, RelocationKind>> {
  const { elfClass: addressBits, littleEndian } = ELF_MACHINES[machine];
  const kinds = Object.entries(specs).map(([type, spec]) => {
    const range = allowedRange(spec, addressBits);
    const apply = (place: RelocationPlace, S: bigint, A: bigint, A2: bigint): void => {
      const { field } = spec;
      checkPlace(spec.name, place, fieldBytes(field));
      const value = evaluate(spec.formula, S, A, place.address, A2);
      if (range) {
        const seen = range.signed ? BigInt.asIntN(addressBits, value) : BigInt.asUintN(addressBits, value);
        if (seen < range.min || seen > range.max) throw new RelocationRangeError(spec.name, seen, range.min, range.max, spec.formula);
      }
      const view = new DataView(place.bytes.buffer, place.bytes.byteOffset + place.offset, fieldBytes(field));
      const wrapped = BigInt.asUintN(addressBits, value);
      if ('word' in field) {
        if (field.word === 8) view.setBigUint64(0, wrapped, littleEndian);
        else view.setUint32(0, Number(wrapped & ones(32)), littleEndian);
        return;
      }
      const mask = ones(field.bits);
      const old = BigInt(view.getUint32(0, littleEndian));
      view.setUint32(0, Number((old & ~mask & ones(32)) | ((wrapped >> BigInt(field.shift)) & mask)), littleEndian);
    };
    return [type, { ...spec, apply }] as const;
  });
  return Object.fromEntries(kinds);
}

/** Every kind clustervm applies, by machine and type number. */
export const RELOCATIONS: Readonly<Record<ElfMachine, Readonly<Record<number, RelocationKind>>>> = {
  [EM_386]: define(EM_386, I386),
  [EM_X86_64]: define(EM_X86_64, X86_64),
  [EM_SPARC]: define(EM_SPARC, SPARC_V8),
  [EM_SPARC32PLUS]: define(EM_SPARC32PLUS, { ...SPARC_V8, ...SPARC_V8PLUS }),
  [EM_SPARCV9]: define(EM_SPARCV9, { ...SPARC_V8, ...SPARC_V8PLUS, ...SPARC_V9 }),
};

function kindOf(machine: ElfMachine, type: number): RelocationKind {
  const kind = RELOCATIONS[machine][type];
  if (!kind) throw new UnknownRelocationError(machine, type);
  return kind;
}

/**
 * Writes relocation `type` of `machine` at `place` for symbol value S, addend A and
 * (R_SPARC_OLO10) second addend A2, in the machine's byte order. Throws
 * RelocationRangeError where ld reports "relocation truncated to fit" (leaving the
 * field as it was), UnknownRelocationError for a type not in RELOCATIONS.
 */
export function applyRelocation(machine: ElfMachine, type: number, place: RelocationPlace, S: bigint, A: bigint, A2 = 0n): void {
  kindOf(machine, type).apply(place, S, A, A2);
}

/** The addend a REL relocation keeps in its field: the word there, sign-extended. */
export function implicitAddend(machine: ElfMachine, type: number, place: RelocationPlace): bigint {
  const { name, field } = kindOf(machine, type);
  if (!('word' in field)) throw new RelocationError(`${name} patches an instruction's immediate, which holds no addend; its addend is in a RELA entry`);
  checkPlace(name, place, field.word);
  const view = new DataView(place.bytes.buffer, place.bytes.byteOffset + place.offset, field.word);
  const { littleEndian } = ELF_MACHINES[machine];
  return field.word === 8 ? view.getBigInt64(0, littleEndian) : BigInt(view.getInt32(0, littleEndian));
}

/**
 * A copy of section `index` with its relocations applied: loadable sections at
 * `addressOf(index)`, every other section at 0.
 */
export function relocatedSection(object: ElfObject, index: number, addressOf: (section: number) => number | undefined): Uint8Array {
  const section = object.sections.find((s) => s.index === index)!;
  const bytes = Uint8Array.from(section.data);
  const base = addressOf(index) ?? 0;
  for (const relocation of object.relocations.filter((r) => r.section === index)) {
    const symbol = object.symbols[relocation.symbol]!;
    const S = symbol.section === SHN_UNDEF ? 0 : (addressOf(symbol.section) ?? 0) + symbol.value;
    const place = { bytes, offset: Number(relocation.offset), address: BigInt(base) + relocation.offset };
    const A = relocation.explicitAddend ? relocation.addend : implicitAddend(object.machine, relocation.type, place);
    applyRelocation(object.machine, relocation.type, place, BigInt(S), A, relocation.addend2);
  }
  return bytes;
}
