// Renders encoder output as a reviewable listing, in the form of `clustervm link
// --listing` (formatListingEntry): the site and the form with its operands, the bytes
// in hex, and capstone's disassembly one instruction per line.

import type { IsaName } from '../../../isa/index.js';
import { formatListingEntry, type ListedInstruction } from '../../../emulator/cli/link-listing.js';
import { capstone, hex, type Toolchain } from './toolchain.js';

export interface GoldenEntry {
  readonly header: string;
  readonly site: bigint;
  readonly bytes: Uint8Array;
  /** Trailing bytes that are data, not code: the x86-64 far jump's 8-byte target. */
  readonly literalBytes: number;
}

function renderEntry(toolchain: Toolchain, isa: IsaName, entry: GoldenEntry): string {
  const codeLength = entry.bytes.length - entry.literalBytes;
  const instructions: ListedInstruction[] = [];
  let offset = 0;
  for (const insn of capstone(toolchain, isa, entry.bytes.subarray(0, codeLength), entry.site)) {
    instructions.push({ address: entry.site + BigInt(offset), text: `${insn.mnemonic} ${insn.operands}`.trim() });
    offset += insn.size;
  }
  if (offset !== codeLength) instructions.push({ address: entry.site + BigInt(offset), text: '(capstone cannot decode the rest)' });
  if (entry.literalBytes > 0) {
    const literal = new DataView(entry.bytes.buffer, entry.bytes.byteOffset + codeLength, 8).getBigUint64(0, true);
    instructions.push({ address: entry.site + BigInt(codeLength), text: `.quad ${hex(literal)}` });
  }
  return formatListingEntry(isa, entry.site, entry.header, entry.bytes, instructions);
}

export function renderListing(toolchain: Toolchain, isa: IsaName, entries: readonly GoldenEntry[]): string {
  const preamble = [
    `# Opcodes the ${isa} encoder emits, one entry per form: site and form, bytes, capstone's reading.`,
    '# Regenerate after reviewing a change: UPDATE_GOLDEN=1 npx vitest run tests/linker/golden.test.ts',
  ].join('\n');
  return `${[preamble, ...entries.map((entry) => renderEntry(toolchain, isa, entry))].join('\n\n')}\n`;
}
