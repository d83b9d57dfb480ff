// x86-32 and x86-64 linkage code. Every pc-relative form is a 5-byte rel32 (never the
// 2-byte rel8), so a patched site always has the same length whatever the distance.

import type { Encoder, Relocation, TrampolineForm } from './encoder.js';
import {
  EncodingRangeError, checkAddress, checkStubIndex, displacement, fitsSigned, signedReach, type AddressBits,
} from './reach.js';

type X86Isa = 'x86-32' | 'x86-64';

const CALL_REL32 = 0xe8;
const JMP_REL32 = 0xe9;
const REL32_LENGTH = 5;
/** jmp qword ptr [rip+0]: jumps through the 8-byte target stored right after it. */
const JMP_RIP_INDIRECT = [0xff, 0x25, 0x00, 0x00, 0x00, 0x00];
const FAR_JUMP_LENGTH = JMP_RIP_INDIRECT.length + 8;
/** mov eax, imm32 (x86-32) and mov r11d, imm32 (x86-64; zero-extends into r11). */
const MOV_SCRATCH_IMM32: Readonly<Record<X86Isa, readonly number[]>> = {
  'x86-32': [0xb8],
  'x86-64': [0x41, 0xbb],
};

function le32(value: bigint): number[] {
  const field = BigInt.asUintN(32, value);
  return [0, 8, 16, 24].map((shift) => Number((field >> BigInt(shift)) & 0xffn));
}

function le64(value: bigint): number[] {
  return [...le32(value), ...le32(value >> 32n)];
}

export class X86Encoder implements Encoder {
  readonly scratchRegisters: readonly string[];
  readonly trampolineSlotBytes: number;
  readonly stubSlotBytes: number;
  private readonly bits: AddressBits;

  constructor(readonly isa: X86Isa) {
    const wide = isa === 'x86-64';
    this.bits = wide ? 64 : 32;
    // cdecl passes every argument on the stack, so eax is free at a call; the SysV
    // x86-64 ABI reserves r11 as a scratch register that no argument uses.
    this.scratchRegisters = [wide ? 'r11' : 'eax'];
    this.trampolineSlotBytes = wide ? FAR_JUMP_LENGTH : REL32_LENGTH;
    this.stubSlotBytes = MOV_SCRATCH_IMM32[isa].length + 4 + this.trampolineSlotBytes;
  }

  call(site: bigint, target: bigint): Uint8Array {
    this.checkAddresses(site, target);
    return Uint8Array.from([CALL_REL32, ...le32(this.rel32('call rel32', site, REL32_LENGTH, target))]);
  }

  trampoline(site: bigint, target: bigint, _form: TrampolineForm): Uint8Array {
    this.checkAddresses(site, target);
    return Uint8Array.from(this.jump(site, target));
  }

  trampolineFormName(site: bigint, target: bigint, _form: TrampolineForm): string {
    this.checkAddresses(site, target);
    return this.reachesRel32(site, REL32_LENGTH, target) ? 'jmp rel32' : 'jmp [rip]';
  }

  mediatorStub(site: bigint, index: number, entry: bigint): Uint8Array {
    this.checkAddresses(site, entry);
    checkStubIndex(index);
    const mov = [...MOV_SCRATCH_IMM32[this.isa], ...le32(BigInt(index))];
    return Uint8Array.from([...mov, ...this.jump(site + BigInt(mov.length), entry)]);
  }

  relocate(relocation: Relocation, instruction: Uint8Array, site: bigint, target: bigint): Uint8Array {
    this.checkAddresses(site, target);
    const { kind, fieldOffset } = relocation;
    if (!Number.isInteger(fieldOffset) || fieldOffset < 0 || fieldOffset + 4 > instruction.length) {
      throw new RangeError(`${kind} field at offset ${fieldOffset} does not lie inside a ${instruction.length}-byte instruction`);
    }
    const name = `${kind} field of ${Buffer.from(instruction).toString('hex')}`;
    let value: bigint;
    if (kind === 'x86.rel32') {
      value = this.rel32(name, site, instruction.length, target);
    } else if (kind === 'x86.abs32') {
      // x86-64 sign-extends most 32-bit fields and zero-extends a few (mov r32, imm32);
      // only targets below 2 GiB read the same both ways.
      if (this.bits === 64 && target >= 1n << 31n) throw new EncodingRangeError(name, site, target, 'targets below 2 GiB');
      value = target;
    } else {
      throw new RangeError(`relocation ${kind} does not apply to ${this.isa}`);
    }
    const patched = Uint8Array.from(instruction);
    patched.set(le32(value), fieldOffset);
    return patched;
  }

  /** jmp rel32 when it reaches, else (x86-64 only) the 14-byte jump through a literal. */
  private jump(site: bigint, target: bigint): number[] {
    if (this.reachesRel32(site, REL32_LENGTH, target)) {
      return [JMP_REL32, ...le32(this.rel32('jmp rel32', site, REL32_LENGTH, target))];
    }
    return [...JMP_RIP_INDIRECT, ...le64(target)];
  }

  private reachesRel32(site: bigint, length: number, target: bigint): boolean {
    return fitsSigned(displacement(site + BigInt(length), target, this.bits), 32);
  }

  /** The rel32 of an instruction of `length` bytes at `site`; on x86-32 every target reaches. */
  private rel32(instruction: string, site: bigint, length: number, target: bigint): bigint {
    if (!this.reachesRel32(site, length, target)) throw new EncodingRangeError(instruction, site, target, signedReach(32));
    return displacement(site + BigInt(length), target, this.bits);
  }

  private checkAddresses(site: bigint, target: bigint): void {
    checkAddress(site, this.bits, 'site');
    checkAddress(target, this.bits, 'target');
  }
}
