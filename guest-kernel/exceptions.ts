import type { IsaName } from '../isa/index.js';

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

export function describeException(isa: IsaName, intno: number): string {
  switch (isa) {
    case 'x86-32':
    case 'x86-64':
      return X86_EXCEPTIONS[intno] ?? `unexpected interrupt ${intno}`;
    case 'sparc32':
      if (intno >= 0x80) return `unexpected trap instruction (ta 0x${(intno - 0x80).toString(16)})`;
      return SPARC32_TRAPS[intno] ?? `unexpected trap type 0x${intno.toString(16)}`;
    case 'sparc64':
      if (intno >= 0x100) return `unexpected trap instruction (ta 0x${(intno - 0x100).toString(16)})`;
      // Unicorn's sparc64 starts with CANSAVE = 0 and offers no privileged mode to
      // run a spill handler, so the first `save` traps: sparc64 code must be flat.
      if (intno >= 0xc0) return 'register window fill trap (sparc64 guests must use flat code: no save/restore)';
      if (intno >= 0x80) return 'register window spill trap (sparc64 guests must use flat code: no save/restore)';
      return SPARC64_TRAPS[intno] ?? `unexpected trap type 0x${intno.toString(16)}`;
  }
}
