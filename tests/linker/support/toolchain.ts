// Keystone and capstone at bigint addresses, for tests that pin the encoders.

import { Assembler, Disassembler } from '../../../linker/index.js';
import { type IsaName } from '../../../isa/index.js';

export interface Toolchain {
  readonly assembler: Assembler;
  readonly disassembler: Disassembler;
}

export async function loadToolchain(): Promise<Toolchain> {
  const [assembler, disassembler] = await Promise.all([Assembler.load(), Disassembler.load()]);
  return { assembler, disassembler };
}

export interface Decoded {
  readonly mnemonic: string;
  readonly operands: string;
  readonly size: number;
}

export function addressBits(isa: IsaName): 32 | 64 {
  return isa.endsWith('64') ? 64 : 32;
}

// Assembler and Disassembler type addresses as `number` but hand them unchanged to
// keystone-js and capstone-js, which call BigInt(address). A bigint thus passes through
// exactly, where a number would lose the bits above 2^53 that sparc64 and x86-64
// upper-half sites need.
function engineAddress(address: bigint): number {
  return address as unknown as number;
}

export function keystone(toolchain: Toolchain, isa: IsaName, source: string, site: bigint): Uint8Array {
  return toolchain.assembler.assemble(isa, source, { address: engineAddress(site), file: `${isa}@0x${site.toString(16)}` }).bytes;
}

export function capstone(toolchain: Toolchain, isa: IsaName, bytes: Uint8Array, site: bigint, count?: number): Decoded[] {
  return toolchain.disassembler.disassemble(isa, bytes, engineAddress(site), count)
    .map(({ mnemonic, operands, size }) => ({ mnemonic, operands, size }));
}

/** How capstone prints the SPARC target -2^31: it negates the value as a 32-bit integer. */
export const CAPSTONE_MINUS_2_POW_31 = '-0xffffffff80000000';

/**
 * The last number of an operand list (a branch target, an immediate), as an address.
 * Capstone prints SPARC targets as signed 64-bit values ("-0x10") and does not wrap
 * sparc32 targets at 4 GiB, so the value is reduced to the ISA's address width.
 */
export function lastNumber(isa: IsaName, operands: string): bigint {
  const match = /(-?)(0x[0-9a-f]+|\d+)\]?$/.exec(operands.trim());
  if (!match?.[2]) throw new Error(`no number at the end of "${operands}"`);
  const magnitude = BigInt(match[2]);
  const value = `${match[1]}${match[2]}` === CAPSTONE_MINUS_2_POW_31 ? -(1n << 31n) : match[1] === '-' ? -magnitude : magnitude;
  return BigInt.asUintN(addressBits(isa), value);
}

export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}
