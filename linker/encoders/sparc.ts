// SPARC, as it matters to this linker
// ===================================
//
// SPARC is a RISC ISA from Sun: every instruction is one 32-bit word, aligned to 4
// bytes, stored big-endian (the most significant byte first) on sparc32 (V8) and
// sparc64 (V9) alike. An instruction's top two bits (`op`) pick its format: 01 is
// `call`, 00 holds `sethi` and the branches, 10 and 11 the arithmetic, jumps and memory
// operations. Because every word is one instruction, the linker finds the instruction
// that holds a changed byte by rounding down to 4, and patches one word at a time.
//
// Delay slots. A taken transfer (`call`, `ba`, `jmpl`) runs the instruction after it
// before it arrives: the processor carries a pc and a next pc. Unicorn 2.0.1 does not
// expose the next pc (#2338) and saves an empty sparc64 context, so a core that stopped
// between a branch and its delay slot could not resume at the branch's target. Hence a
// quantum never ends in a delay slot: the machine runs branch and slot again as a pair
// (emulator/machine). For the linker this means:
// - a call site is the `call` word alone; its delay slot is the caller's own
//   instruction, which a re-link never touches, so the caller's argument setup there
//   runs whatever the call now reaches;
// - every trampoline and stub it writes brings its own delay slot: a `nop`, or for a
//   stub the instruction that loads the linkage index, which costs nothing there;
// - cores are patched between quanta, never between a transfer and its slot, so no core
//   runs an old transfer with a new slot or the reverse.
//
// Register windows. `save` moves to a fresh window of %o/%l/%i registers and `restore`
// back; the caller's %o registers become the callee's %i. sparc32 has 8 windows guarded
// by the window invalid mask (WIM): Unicorn opens a sparc32 engine with WIM = 0, so the
// machine sets it and a program may nest 6 saves; the 7th traps as `register window
// overflow (depth 7)` instead of wrapping onto its caller's window. A sparc64 engine
// starts with no free window at all (the first `save` traps:
// tests/engine/unicorn-quirks.test.ts, "sparc64 starts with no free register window"),
// so sparc64 code must be flat (`-mflat`: no save/restore). The linker's code is flat on
// both: the mediator and every stub and trampoline run in the caller's window, with
// %o7 still holding the caller's return address, and touch only %g1 and %g5, which the
// V9 ABI keeps volatile across calls and passes no argument in.
//
// Traps. `ta N` raises software trap N; Unicorn reports it as interrupt 0x80 + N on
// sparc32 and 0x100 + N on sparc64 (isa/isa.ts `trapBase`) and leaves the pc on the
// `ta` itself (tests/engine/unicorn-quirks.test.ts, "a SPARC `ta` leaves the pc on the
// trap instruction"): the kernel resumes at pc + 4. Keystone keeps only the low 8 bits
// of N, so trap numbers stay within 0..127 (toolchain/keystone-pitfalls.ts).
//
// Reach. `call` holds a 30-bit word displacement: ±2 GiB from the site, which on
// sparc32 spans the whole (wrapping) address space. The near branches reach less: Bicc
// `ba` has 22 bits of words (±8 MiB), sparc64's BPcc `ba,pt %xcc` 19 (±1 MiB). An
// absolute address is built in pieces: `sethi` sets the top 22 bits of a 32-bit value
// (%hi) and an `or` or `jmpl` adds the low 10 (%lo); sparc64 builds 44-bit addresses
// with %h44/%m44/%l44 and any 64-bit one with %hh/%hm/%lm and a shift. A core stopped
// between the halves of such a sequence must not combine an old half with a new one,
// so the linker restarts a core that a re-link finds inside one (modules/compile-module.ts).
//
// The instruction words below, by field (sparc-fields.ts builds them):
//   call     01 disp30                                      0x40000000 | disp30
//   sethi    00 rd 100 imm22                                (rd << 25) | 0x01000000 | imm22
//   Bicc     00 a cond 010 disp22                           ba: 0x10800000 | a << 29 | disp22
//   BPcc     00 a cond 001 cc1 cc0 p disp19                 ba,pt %xcc: 0x10680000 | a << 29 | disp19
//   jmpl     10 rd 111000 rs1 1 simm13                      0x81c00000 | rd << 25 | rs1 << 14 | 0x2000 | simm13
//   or       10 rd 000010 rs1 1 simm13                      0x80102000 | rd << 25 | rs1 << 14 | simm13
//   sllx     10 rd 100101 rs1 1 1 count6                    0x81283000 | rd << 25 | rs1 << 14 | count
//   nop      sethi 0, %g0                                   0x01000000

import { ISAS } from '../../isa/index.js';
import type { Encoder, Relocation, RelocationKind, TrampolineForm } from './encoder.js';
import { EncodingRangeError, checkAddress, checkStubIndex, hex, type AddressBits } from './reach.js';
import {
  G0, G1, G5, NOP, branchAlways, branchAlwaysXcc, call, fieldValue, fieldWidth, jmpl, orImmediate, orRegister,
  reaches, sethi, sllx, withField, words,
} from './sparc-fields.js';

type SparcIsa = 'sparc32' | 'sparc64';

interface TrampolineShape {
  readonly name: string;
  reaches(site: bigint, target: bigint): boolean;
  encode(site: bigint, target: bigint): Uint8Array;
}

export class SparcEncoder implements Encoder {
  readonly scratchRegisters: readonly string[] = ['%g1', '%g5'];
  readonly trampolineSlotBytes: number;
  readonly stubSlotBytes = 12;
  private readonly bits: AddressBits;
  /** The near branch: Bicc (±8 MiB) on sparc32, BPcc on %xcc (±1 MiB) on sparc64. */
  private readonly branchKind: RelocationKind;
  /** Trampoline forms, shortest first. */
  private readonly shapes: readonly TrampolineShape[];
  private readonly paper: TrampolineShape;

  constructor(readonly isa: SparcIsa) {
    const wide = ISAS[isa].wordBytes === 8;
    this.bits = wide ? 64 : 32;
    this.branchKind = wide ? 'sparc.disp19' : 'sparc.disp22';
    // FLink's form: sethi %hi(target), %g1; jmpl %g1 + %lo(target), %g0; nop (the slot).
    this.paper = this.shape('sethi/jmpl', 32, (f) => [sethi(f('sparc.hi22'), G1), jmpl(G1, f('sparc.lo10'), G0), NOP]);
    // ba,a: the annul bit skips the delay slot, so one word suffices.
    const near = this.shape(wide ? 'ba,a,pt' : 'ba,a', 0, (f) => [this.branch(true, f(this.branchKind))]);
    // sethi %h44, %g1; or %g1, %m44, %g1; sllx %g1, 12, %g1; jmpl %g1 + %l44, %g0; nop
    const h44 = this.shape('h44', 44, (f) => [
      sethi(f('sparc.h44'), G1), orImmediate(G1, f('sparc.m44'), G1), sllx(G1, 12, G1), jmpl(G1, f('sparc.l44'), G0), NOP,
    ]);
    // sethi %hh, %g1; sethi %lm, %g5; or %g1, %hm, %g1; sllx %g1, 32, %g1;
    // or %g1, %g5, %g1; jmpl %g1 + %lo, %g0; nop
    const full64 = this.shape('full64', 64, (f) => [
      sethi(f('sparc.hh22'), G1), sethi(f('sparc.lm22'), G5), orImmediate(G1, f('sparc.hm10'), G1),
      sllx(G1, 32, G1), orRegister(G1, G5, G1), jmpl(G1, f('sparc.lo10'), G0), NOP,
    ]);
    this.shapes = wide ? [near, this.paper, h44, full64] : [near, this.paper];
    this.trampolineSlotBytes = wide ? 28 : 12;
  }

  call(site: bigint, target: bigint): Uint8Array {
    this.checkCode(site, target);
    return words(call(fieldValue('sparc.disp30', site, target, this.bits, 'call')));
  }

  trampoline(site: bigint, target: bigint, form: TrampolineForm): Uint8Array {
    return this.pick(site, target, form).encode(site, target);
  }

  trampolineFormName(site: bigint, target: bigint, form: TrampolineForm): string {
    return this.pick(site, target, form).name;
  }

  mediatorStub(site: bigint, index: number, entry: bigint): Uint8Array {
    this.checkCode(site, entry);
    checkStubIndex(index);
    // The index is set in the transfer's delay slot, so it costs no extra instruction:
    // `or %g0, index, %g1` (`mov index, %g1`), hence the 13-bit limit on indexes.
    const setIndex = orImmediate(G0, index, G1);
    if (reaches(this.branchKind, site, entry, this.bits)) {
      return words(this.branch(false, fieldValue(this.branchKind, site, entry, this.bits, 'ba')), setIndex);
    }
    const f = (kind: RelocationKind): number => fieldValue(kind, site, entry, this.bits, 'mediator stub sethi/jmpl');
    // Out of branch reach: sethi %hi(entry), %g5; jmpl %g5 + %lo(entry), %g0; mov index, %g1
    return words(sethi(f('sparc.hi22'), G5), jmpl(G5, f('sparc.lo10'), G0), setIndex);
  }

  relocate(relocation: Relocation, instruction: Uint8Array, site: bigint, target: bigint): Uint8Array {
    const { kind, fieldOffset } = relocation;
    const width = fieldWidth(kind);
    if (kind === 'sparc.disp19' && this.bits === 32) throw new RangeError('sparc.disp19 (BPcc) does not exist on sparc32');
    if (fieldOffset !== 0 || instruction.length !== 4) {
      throw new RangeError(`${kind}: a SPARC relocation patches one 4-byte instruction at field offset 0`);
    }
    this.checkSite(site);
    checkAddress(target, this.bits, 'target');
    const word = new DataView(instruction.buffer, instruction.byteOffset, 4).getUint32(0);
    const name = `${kind} field of 0x${word.toString(16).padStart(8, '0')}`;
    return words(withField(word, width, fieldValue(kind, site, target, this.bits, name)));
  }

  private branch(annul: boolean, displacement: number): number {
    return this.bits === 64 ? branchAlwaysXcc(annul, displacement) : branchAlways(annul, displacement);
  }

  /** A trampoline form; `limit` bits bound its absolute targets (0: pc-relative). */
  private shape(name: string, limit: number, build: (field: (kind: RelocationKind) => number) => number[]): TrampolineShape {
    return {
      name,
      reaches: (site, target) => (limit === 0 ? reaches(this.branchKind, site, target, this.bits) : target < 1n << BigInt(limit)),
      encode: (site, target) => words(...build((kind) => fieldValue(kind, site, target, this.bits, `${name} trampoline`))),
    };
  }

  private pick(site: bigint, target: bigint, form: TrampolineForm): TrampolineShape {
    this.checkCode(site, target);
    // The last 'shortest' form reaches every address, so only 'paper' can fail here.
    const shape = (form === 'paper' ? [this.paper] : this.shapes).find((candidate) => candidate.reaches(site, target));
    if (!shape) throw new EncodingRangeError(`${this.paper.name} trampoline`, site, target, 'targets below 2^32');
    return shape;
  }

  private checkSite(site: bigint): void {
    checkAddress(site, this.bits, 'site');
    if (site % 4n !== 0n) throw new RangeError(`site ${hex(site)} is not word aligned`);
  }

  private checkCode(site: bigint, target: bigint): void {
    this.checkSite(site);
    checkAddress(target, this.bits, 'target');
    if (target % 4n !== 0n) throw new RangeError(`target ${hex(target)} is not word aligned`);
  }
}
