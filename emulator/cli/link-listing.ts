// `clustervm link --listing`: every byte the linker wrote into a node group's memory at
// boot, beyond the modules themselves: the patched call sites with their relocation, the
// trampolines, the mediator stubs and the linkage-table entries, with capstone's reading,
// in a stable text form. Users keep it beside their images and `--check` it, so that a
// change of binding, module or clustervm that moves an opcode shows up as a diff.
import {
  BufferLinkMemory, encoderFor, type ChangeTicket, type CodeChange, type Disassembler, type LinkMemory, type Linker,
} from '../../linker/index.js';
import { ISAS, type IsaName } from '../../isa/index.js';

/** Link memory that remembers where the linker wrote, for the listing. */
export class RecordingLinkMemory implements LinkMemory {
  private readonly memory: BufferLinkMemory;
  readonly writes: { readonly address: number; readonly length: number }[] = [];

  constructor(base: number, size: number) {
    this.memory = new BufferLinkMemory(base, size);
  }

  read(address: number, length: number): Uint8Array {
    return this.memory.read(address, length);
  }

  write(address: number, bytes: Uint8Array): void {
    this.writes.push({ address, length: bytes.length });
    this.memory.write(address, bytes);
  }

  publish(change: CodeChange): ChangeTicket {
    return this.memory.publish(change);
  }
}

interface Entry {
  readonly address: number;
  /** What lies at the address. */
  readonly header: string;
  readonly bytes: Uint8Array;
  /** Code is shown with capstone's reading; a table entry as its words. */
  readonly code: boolean;
}

/** An address as listings show it, at any width (the encoder goldens place code near 2^64). */
const hex = (value: number | bigint) => `0x${value.toString(16)}`;
const TABLE_ENTRY_BYTES = 16;

/** Bytes in hex as listings show them: SPARC by instruction word, x86 by byte. */
function hexGroups(isa: IsaName, bytes: Uint8Array): string {
  const group = ISAS[isa].family === 'sparc' ? ISAS[isa].instructionAlign : 1;
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += group) {
    groups.push(Array.from(bytes.subarray(i, i + group), (byte) => byte.toString(16).padStart(2, '0')).join(''));
  }
  return groups.join(' ');
}

/** One line of capstone's reading in a listing entry. */
export interface ListedInstruction {
  readonly address: number | bigint;
  readonly text: string;
}

/**
 * One entry in the form `clustervm link --listing` and the project's golden files share:
 * `ADDRESS  WHAT`, the bytes indented (SPARC by word, x86 by byte), then capstone's
 * reading, one `ADDRESS  INSTRUCTION` per line.
 */
export function formatListingEntry(isa: IsaName, address: number | bigint, what: string, bytes: Uint8Array,
                                   instructions: readonly ListedInstruction[]): string {
  return [`${hex(address)}  ${what}`, `  ${hexGroups(isa, bytes)}`, ...instructions.map((insn) => `  ${hex(insn.address)}  ${insn.text}`)]
    .join('\n');
}

function render(isa: IsaName, disassembler: Disassembler, entry: Entry): string {
  const instructions: ListedInstruction[] = [];
  if (entry.code) {
    let offset = 0;
    for (const insn of disassembler.disassemble(isa, entry.bytes, entry.address)) {
      instructions.push({ address: entry.address + offset, text: `${insn.mnemonic} ${insn.operands}`.trim() });
      offset += insn.size;
    }
    if (offset < entry.bytes.length) instructions.push({ address: entry.address + offset, text: '(capstone cannot decode the rest)' });
  }
  return formatListingEntry(isa, entry.address, entry.header, entry.bytes, instructions);
}

/** The listing of one linked node group, its entries in address order. */
export function linkListing(linker: Linker, memory: RecordingLinkMemory, disassembler: Disassembler): string {
  const { plan } = linker;
  const entries: Entry[] = [];
  for (const module of plan.modules.filter((m) => linker.isLoaded(m.name))) {
    for (const reference of module.references) {
      const state = linker.binding(reference.symbol);
      entries.push({
        address: reference.site,
        header: `call site ${module.name}+${hex(reference.site - module.address)} -> ${reference.symbol} ` +
          `(${reference.relocation.kind}, ${state.open ? 'failsafe (open)' : state.intensity})`,
        bytes: memory.read(reference.site, reference.length),
        code: true,
      });
    }
  }
  const trampolines = new Map(linker.symbolNames().flatMap((symbol) => {
    const trampoline = linker.binding(symbol).trampoline;
    return trampoline === undefined ? [] : [[trampoline, symbol] as const];
  }));
  const areaEnd = plan.area.address + plan.area.length;
  const tableEnd = plan.tableAddress + plan.tableEntries * TABLE_ENTRY_BYTES;
  const areaWrites = new Map<number, number>();
  const tableEntries = new Set<number>();
  for (const { address, length } of memory.writes) {
    if (address >= plan.area.address && address < areaEnd) areaWrites.set(address, Math.max(length, areaWrites.get(address) ?? 0));
    if (address >= plan.tableAddress && address < tableEnd) tableEntries.add(Math.floor((address - plan.tableAddress) / TABLE_ENTRY_BYTES));
  }
  const encoder = encoderFor(plan.isa);
  const entryIndexes = [...tableEntries];
  // A stub is known by what it is: the stub the encoder makes for a table entry and a
  // mediator entry, at its address.
  const stubOf = (address: number, bytes: Uint8Array) => {
    for (const [kind, target] of [['weak', plan.mediator.entry], ['fail-safe', plan.mediator.failsafeEntry]] as const) {
      for (const index of entryIndexes) {
        const stub = encoder.mediatorStub(BigInt(address), index, BigInt(target));
        if (stub.length === bytes.length && stub.every((byte, i) => byte === bytes[i])) {
          const entry = linker.entryAt(index);
          return `${kind} stub of ${entry.caller} -> ${entry.symbol}`;
        }
      }
    }
    return 'link-area code';
  };
  for (const [address, length] of areaWrites) {
    const symbol = trampolines.get(address);
    const bytes = memory.read(address, length);
    entries.push({
      address,
      header: `${symbol === undefined ? stubOf(address, bytes) : `trampoline of ${symbol} (${linker.binding(symbol).form})`}`,
      bytes,
      code: true,
    });
  }
  for (const index of [...tableEntries].sort((a, b) => a - b)) {
    const entry = linker.entryAt(index);
    const address = plan.tableAddress + index * TABLE_ENTRY_BYTES;
    entries.push({
      address,
      header: `linkage table entry ${index}: ${entry.caller} -> ${entry.symbol}`,
      bytes: memory.read(address, TABLE_ENTRY_BYTES),
      code: false,
    });
  }
  return entries.sort((a, b) => a.address - b.address).map((entry) => render(plan.isa, disassembler, entry)).join('\n\n');
}

/**
 * The lines of `saved` and `current` that differ, as a diff reads them: `-` for a line
 * only the saved listing has, `+` for one only the current has, each with its line
 * number, from a longest common subsequence of the lines.
 */
export function listingDiff(saved: string, current: string): string[] {
  const a = saved.split('\n');
  const b = current.split('\n');
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      out.push(`-${i + 1}: ${a[i]}`);
      i++;
    } else {
      out.push(`+${j + 1}: ${b[j]}`);
      j++;
    }
  }
  return out;
}
