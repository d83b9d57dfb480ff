import { ISAS, unreachable, type IsaName } from '../isa/index.js';

// Names of the CPU exceptions Unicorn delivers as interrupts, per ISA. A trap that is
// not the syscall vector is always fatal to the core that raised it.

const X86_EXCEPTIONS: Readonly<Record<number, string>> = {
  0: 'division by zero',
  1: 'debug exception',
  3: 'breakpoint instruction (int3)',
  4: 'overflow (into)',
  5: 'bound range exceeded',
  6: 'invalid instruction',
  13: 'general protection fault',
  14: 'page fault',
  17: 'alignment check',
};

const SPARC32_TRAPS: Readonly<Record<number, string>> = {
  0x02: 'invalid instruction',
  0x03: 'privileged instruction',
  // The machine marks window 1 invalid: the seventh nested save traps.
  0x05: 'register window overflow (depth 7): use -mflat or shallower calls',
  0x06: 'register window underflow',
  0x07: 'unaligned memory access',
  0x2a: 'division by zero',
};

const SPARC64_TRAPS: Readonly<Record<number, string>> = {
  0x10: 'invalid instruction',
  0x11: 'privileged instruction',
  0x28: 'division by zero',
  0x34: 'unaligned memory access',
};

/** SPARC V9's spill traps are types 0x80-0xbf, its fill traps 0xc0-0xff. */
const SPARC64_SPILL_TRAPS = 0x80;
const SPARC64_FILL_TRAPS = 0xc0;

function sparc64Trap(trapType: number): string | undefined {
  // Unicorn's sparc64 starts with CANSAVE = 0 and offers no privileged mode to
  // run a spill handler, so the first `save` traps: sparc64 code must be flat.
  if (trapType >= SPARC64_FILL_TRAPS) return 'register window fill trap (sparc64 guests must use flat code: no save/restore)';
  if (trapType >= SPARC64_SPILL_TRAPS) return 'register window spill trap (sparc64 guests must use flat code: no save/restore)';
  return SPARC64_TRAPS[trapType];
}

/** The name of each ISA's exception below its trap instructions' interrupts. */
const EXCEPTION_NAMES: Readonly<Record<IsaName, (intno: number) => string | undefined>> = {
  'x86-32': (intno) => X86_EXCEPTIONS[intno],
  'x86-64': (intno) => X86_EXCEPTIONS[intno],
  sparc32: (trapType) => SPARC32_TRAPS[trapType],
  sparc64: sparc64Trap,
};

export function describeException(isa: IsaName, intno: number): string {
  const { family, trapBase } = ISAS[isa];
  switch (family) {
    // x86 numbers `int N` and the CPU's exceptions alike: interrupt N.
    case 'x86':
      return EXCEPTION_NAMES[isa](intno) ?? `unexpected interrupt ${intno}`;
    case 'sparc':
      if (intno >= trapBase) return `unexpected trap instruction (ta 0x${(intno - trapBase).toString(16)})`;
      return EXCEPTION_NAMES[isa](intno) ?? `unexpected trap type 0x${intno.toString(16)}`;
    default:
      return unreachable(family);
  }
}
