// sparc32 and sparc64 linkage code. It clobbers only %g1 and %g5: the SPARC V9 ABI
// keeps them volatile across calls and passes no argument in them.

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
    const wide = isa === 'sparc64';
    this.bits = wide ? 64 : 32;
    this.branchKind = wide ? 'sparc.disp19' : 'sparc.disp22';
    this.paper = this.shape('sethi/jmpl', 32, (f) => [sethi(f('sparc.hi22'), G1), jmpl(G1, f('sparc.lo10'), G0), NOP]);
    const near = this.shape(wide ? 'ba,a,pt' : 'ba,a', 0, (f) => [this.branch(true, f(this.branchKind))]);
    const h44 = this.shape('h44', 44, (f) => [
      sethi(f('sparc.h44'), G1), orImmediate(G1, f('sparc.m44'), G1), sllx(G1, 12, G1), jmpl(G1, f('sparc.l44'), G0), NOP,
    ]);
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
    // The index is set in the transfer's delay slot, so it costs no extra instruction.
    const setIndex = orImmediate(G0, index, G1);
    if (reaches(this.branchKind, site, entry, this.bits)) {
      return words(this.branch(false, fieldValue(this.branchKind, site, entry, this.bits, 'ba')), setIndex);
    }
    const f = (kind: RelocationKind): number => fieldValue(kind, site, entry, this.bits, 'mediator stub sethi/jmpl');
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
