import { ISAS, type IsaName } from '../../isa/index.js';
import { STUB_INDEX_LIMIT } from '../encoders/reach.js';

// The contract between the mediator's guest code, the linker that fills its table and
// the kernel that serves its traps. Why each ISA's linkage register and trap look as
// they do: the essays that open linker/encoders/x86.ts and linker/encoders/sparc.ts.

/** Register a stub loads with the linkage table index. */
export const LINKAGE_REGISTER: Readonly<Record<IsaName, string>> = {
  'x86-32': 'eax',
  'x86-64': 'r11',
  sparc32: 'g1',
  sparc64: 'g1',
};

/** Trap numbers: x86 `int N`, SPARC `ta N`. */
const LINK_TRAPS = {
  x86: { resolve: 0x81, refuse: 0x82 },
  sparc: { resolve: 0x11, refuse: 0x12 },
} as const;

export function linkTraps(isa: IsaName): { readonly resolve: number; readonly refuse: number } {
  return LINK_TRAPS[ISAS[isa].family];
}

const TABLE_ENTRY_SHIFT = 4;
export const TABLE_ENTRY_BYTES = 1 << TABLE_ENTRY_SHIFT;
/**
 * Byte offsets inside an entry; the count and the allowed flag are 32-bit words. The
 * target comes first: sparc.s loads it as `ld [%g1]`, the one encoding the golden pins.
 */
export const TABLE_FIELDS: { readonly target: 0; readonly allowed: number; readonly count: number } =
  { target: 0, allowed: 8, count: 12 };
/**
 * Bytes of the target field the mediator jumps through: x86-64 jumps through all 8,
 * sparc64's mediator loads 32 bits (SPARC code lies below 4 GiB, see encoders/sparc.ts).
 */
export const TABLE_TARGET_BYTES: Readonly<Record<IsaName, 4 | 8>> = {
  'x86-32': 4,
  'x86-64': 8,
  sparc32: 4,
  sparc64: 4,
};
/** A stub can load no larger index (a 13-bit SPARC immediate). */
export const MAX_TABLE_ENTRIES = STUB_INDEX_LIMIT;

/** The table's address and layout as the mediator's `.s` sources see them. */
export function tableSymbols(table: number): [string, number][] {
  return [
    ['LINK_TABLE', table],
    ['TABLE_ENTRY_SHIFT', TABLE_ENTRY_SHIFT],
    ['TABLE_TARGET', TABLE_FIELDS.target],
    ['TABLE_ALLOWED', TABLE_FIELDS.allowed],
    ['TABLE_COUNT', TABLE_FIELDS.count],
  ];
}
