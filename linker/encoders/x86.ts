// x86, as it matters to this linker
// =================================
//
// x86 instructions have variable length, from 1 to 15 bytes (isa/isa.ts
// `longestInstruction`), with no alignment: the linker cannot find the instruction that
// holds a changed byte by arithmetic, so it decodes with capstone from the nearest label
// before it (modules/reference-finder.ts). Multi-byte values are little-endian (the
// least significant byte first), in code and in the linkage table alike.
//
// Reach. `call rel32` (E8) and `jmp rel32` (E9) hold a signed 32-bit displacement from
// the end of the instruction: ±2 GiB. On x86-32 that spans the whole (wrapping) address
// space; on x86-64 a target further away is reached through an absolute 8-byte literal,
// `jmp [rip+0]` followed by the target. Every pc-relative form the linker writes is the
// 5-byte rel32, never the 2-byte rel8, so a patched site keeps its length whatever the
// distance and a re-link rewrites the same bytes in place. x86-64 addresses data
// rip-relative too: a `[rip + disp32]` operand is a rel32 field as a call's is, counted
// from the end of its instruction (x86.rel32 with its field offset).
//
// Absolute fields. A 32-bit immediate or displacement (x86.abs32) is taken as is on
// x86-32; x86-64 sign-extends most of them and zero-extends a few (`mov r32, imm32`),
// so only targets below 2 GiB read the same both ways.
//
// Linkage register. A mediator stub loads its linkage-table index into a register that
// no argument uses at a call: eax on x86-32 (cdecl passes every argument on the stack),
// r11 on x86-64 (the SysV ABI's scratch register, never an argument; `mov r11d, imm32`
// zero-extends into r11). The caller's return address is on the stack, where `call`
// put it, so stubs and trampolines transfer with a plain `jmp` and the target returns
// straight to the caller.
//
// Traps. `int N` raises interrupt N (x86's `trapBase` is 0); Unicorn reports it with the
// pc already past the instruction, which has retired: the kernel resumes there. The
// mediator's traps are `int 0x81` (resolve) and `int 0x82` (refuse), beside the
// syscalls' `int 0x80` (mediator/mediator-abi.ts).
//
// There are no delay slots and no register windows: a call site is one instruction, and
// cores are patched between quanta, when none is inside one.
//
// The instruction bytes below:
//   E8 rel32                 call rel32
//   E9 rel32                 jmp rel32
//   FF 25 00000000 abs64     jmp qword ptr [rip+0], the target in the 8 bytes after it
//   B8 imm32                 mov eax, imm32 (x86-32)
//   41 BB imm32              mov r11d, imm32 (REX.B selects r11; x86-64)

import { ISAS } from '../../isa/index.js';
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
    const wide = ISAS[isa].wordBytes === 8;
    this.bits = wide ? 64 : 32;
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
