import { ISAS, type IsaName } from '../../isa/index.js';

// The contract between the mediator's guest code, the linker that fills its table and
// the kernel that serves its traps.

/** Register a stub loads with the linkage table index. */
export const LINKAGE_REGISTER: Readonly<Record<IsaName, string>> = {
  'x86-32': 'eax',
  'x86-64': 'r11',
  sparc32: 'g1',
  sparc64: 'g1',
};

/** Trap numbers: x86 `int N`, SPARC `ta N`. */
export const LINK_TRAPS = {
  x86: { resolve: 0x81, refuse: 0x82 },
  sparc: { resolve: 0x11, refuse: 0x12 },
} as const;

export function linkTraps(isa: IsaName): { readonly resolve: number; readonly refuse: number } {
  return LINK_TRAPS[ISAS[isa].family];
}

export const TABLE_ENTRY_BYTES = 16;
export const TABLE_FIELDS = { target: 0, allowed: 8, count: 12 } as const;
/** Stubs load the index with a 13-bit SPARC immediate. */
export const MAX_TABLE_ENTRIES = 4096;
