// assembler-dialect.ts spells keystone's arch and mode numbers out (the worker thread
// opens its engines from them, so keystone need not load in the host thread): each must
// be the number keystone-js itself gives the constant.
import MKeystone from '@alexaltea/keystone-js';
import { describe, expect, it } from 'vitest';
import { ISA_NAMES, type IsaName } from '../../../isa/index.js';
import { ASSEMBLER_DIALECTS } from '../../../linker/toolchain/assembler-dialect.js';

const KEYSTONE_CONSTANTS: Readonly<Record<IsaName, { readonly arch: string; readonly modes: readonly string[] }>> = {
  'x86-32': { arch: 'ARCH_X86', modes: ['MODE_32'] },
  'x86-64': { arch: 'ARCH_X86', modes: ['MODE_64'] },
  sparc32: { arch: 'ARCH_SPARC', modes: ['MODE_SPARC32', 'MODE_BIG_ENDIAN'] },
  sparc64: { arch: 'ARCH_SPARC', modes: ['MODE_SPARC64', 'MODE_BIG_ENDIAN'] },
};

const keystone = MKeystone();

describe('keystone dialects', () => {
  it.each(ISA_NAMES)('%s: arch and mode are keystone-js constants', async (isa) => {
    const ks = await keystone;
    const { arch, modes } = KEYSTONE_CONSTANTS[isa];
    expect(ASSEMBLER_DIALECTS[isa].keystoneArch).toBe(ks[arch]);
    expect(ASSEMBLER_DIALECTS[isa].keystoneMode).toBe(modes.reduce((mode, name) => mode | (ks[name] as number), 0));
  });
});
