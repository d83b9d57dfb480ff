import type { IsaName } from '../../isa/index.js';

// What keystone needs to know per ISA. The numbers are keystone.h's (`ks_arch`,
// `ks_mode`): the worker thread opens its engine from them, so this table is the only
// place that names an ISA for keystone.
const KS_ARCH_X86 = 4;
const KS_ARCH_SPARC = 6;
const KS_MODE_32 = 1 << 2;
const KS_MODE_64 = 1 << 3;
const KS_MODE_SPARC32 = 1 << 2;
const KS_MODE_SPARC64 = 1 << 3;
const KS_MODE_BIG_ENDIAN = 1 << 30;

export interface AssemblerDialect {
  readonly keystoneArch: number;
  readonly keystoneMode: number;
  /**
   * The directive and width of one entry of the label table appended to a source to
   * read its label addresses back. sparc64 uses 32-bit words: keystone's `.quad` and
   * `.xword` put a label's low half in the high word (labels of SPARC sources lie below 4 GiB).
   */
  readonly labelEntry: { readonly directive: '.long' | '.quad' | '.word'; readonly bytes: 4 | 8 };
}

export const ASSEMBLER_DIALECTS: Readonly<Record<IsaName, AssemblerDialect>> = {
  'x86-32': { keystoneArch: KS_ARCH_X86, keystoneMode: KS_MODE_32, labelEntry: { directive: '.long', bytes: 4 } },
  'x86-64': { keystoneArch: KS_ARCH_X86, keystoneMode: KS_MODE_64, labelEntry: { directive: '.quad', bytes: 8 } },
  sparc32: {
    keystoneArch: KS_ARCH_SPARC, keystoneMode: KS_MODE_SPARC32 | KS_MODE_BIG_ENDIAN,
    labelEntry: { directive: '.word', bytes: 4 },
  },
  sparc64: {
    keystoneArch: KS_ARCH_SPARC, keystoneMode: KS_MODE_SPARC64 | KS_MODE_BIG_ENDIAN,
    labelEntry: { directive: '.word', bytes: 4 },
  },
};
