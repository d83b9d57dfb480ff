// Renders encoder output as a reviewable listing: a header naming the form, site and
// target, the bytes in hex, and capstone's disassembly one instruction per line.

import type { IsaName } from '../../../isa/index.js';
import { hexGroups } from '../../../emulator/cli/link-listing.js';
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
  const lines = [entry.header, hexGroups(isa, entry.bytes)];
  let offset = 0;
  for (const insn of capstone(toolchain, isa, entry.bytes.subarray(0, codeLength), entry.site)) {
    lines.push(`  ${hex(entry.site + BigInt(offset))}  ${`${insn.mnemonic} ${insn.operands}`.trim()}`);
    offset += insn.size;
  }
  if (offset !== codeLength) lines.push(`  ${hex(entry.site + BigInt(offset))}  (capstone cannot decode the rest)`);
  if (entry.literalBytes > 0) {
    const literal = new DataView(entry.bytes.buffer, entry.bytes.byteOffset + codeLength, 8).getBigUint64(0, true);
    lines.push(`  ${hex(entry.site + BigInt(codeLength))}  .quad ${hex(literal)}`);
  }
  return lines.join('\n');
}

export function renderListing(toolchain: Toolchain, isa: IsaName, entries: readonly GoldenEntry[]): string {
  const preamble = [
    `# Opcodes the ${isa} encoder emits, one entry per form: header, bytes, capstone's reading.`,
    '# Regenerate after reviewing a change: UPDATE_GOLDEN=1 npx vitest run tests/linker/golden.test.ts',
  ].join('\n');
  return `${[preamble, ...entries.map((entry) => renderEntry(toolchain, isa, entry))].join('\n\n')}\n`;
}
