// The linker writes its own call sites, trampolines and mediator stubs through these
// encoders instead of calling keystone at run time: re-linking a running cluster must
// be cheap and must know exactly which bytes it patches. tests/linker pins every form
// against keystone and capstone, and tests/golden holds the emitted opcodes for review.

import type { IsaName } from '../../isa/index.js';

/** 'shortest' picks the first form that reaches; 'paper' is FLink's sethi/jmpl trampoline. */
export type TrampolineForm = 'shortest' | 'paper';

export type RelocationKind =
  | 'x86.rel32' // 32-bit pc-relative field: value = target - (site + instruction.length). call/jmp/jcc rel32 and rip-relative operands
  | 'x86.abs32' // 32-bit absolute field (immediates, displacements)
  | 'sparc.disp30' | 'sparc.disp22' | 'sparc.disp19' // call, Bicc, BPcc (word displacements from the site)
  | 'sparc.hi22' | 'sparc.lo10' // %hi / %lo  (sethi imm22 / simm13 low 10 bits)
  | 'sparc.h44' | 'sparc.m44' | 'sparc.l44' // %h44 (sethi) / %m44 (simm13, 10 bits) / %l44 (simm13, 12 bits)
  | 'sparc.hh22' | 'sparc.hm10' | 'sparc.lm22'; // %hh (sethi) / %hm (simm13) / %lm (sethi)

export interface Relocation {
  readonly kind: RelocationKind;
  /** byte offset of the field inside the instruction (x86); 0 on SPARC */
  readonly fieldOffset: number;
}

export interface Encoder {
  readonly isa: IsaName;
  /** Registers linkage code may clobber (documented in the README ABI). */
  readonly scratchRegisters: readonly string[];
  /** Bytes reserved per trampoline / per mediator stub: the longest form this ISA emits. */
  readonly trampolineSlotBytes: number;
  readonly stubSlotBytes: number;
  /** A direct call at `site` to `target`. */
  call(site: bigint, target: bigint): Uint8Array;
  /** A trampoline placed at `site` that transfers to `target`, clobbering only scratch registers. */
  trampoline(site: bigint, target: bigint, form: TrampolineForm): Uint8Array;
  /** Name of the form `trampoline` picks (for the CLI and the bench), e.g. 'jmp rel32', 'jmp [rip]', 'ba,a', 'sethi/jmpl', 'h44', 'full64'. */
  trampolineFormName(site: bigint, target: bigint, form: TrampolineForm): string;
  /** A mediator stub at `site`: puts `index` (0..4095) in the linkage register, then transfers to `entry`. */
  mediatorStub(site: bigint, index: number, entry: bigint): Uint8Array;
  /** Returns a copy of `instruction` (the whole instruction's bytes, located at `site`) with the field of `relocation` rewritten to refer to `target`. Throws EncodingRangeError when the value does not fit. */
  relocate(relocation: Relocation, instruction: Uint8Array, site: bigint, target: bigint): Uint8Array;
}
