// gdb learns a process's code from its executable file (qXfer:exec-file:read names it).
// A node has none: the linker placed its modules in guest memory. So the stub writes a
// stand-in, an ELF ET_EXEC of the node's ISA whose sections are the C objects' sections
// at the addresses the linker gave them, with their DWARF joined and relocated to
// those addresses (linker/elf/debug-sections.ts). gdb takes the process's architecture
// and byte order from its header and reads lines, variables, types and call frames from
// its DWARF, so `break file.c:LINE`, `bt`, `p` and `finish` work on C guests. Assembly
// modules and the mediator have no objects: each becomes a code section of its own
// bytes, with its labels as symbols, so `break foo` and `x/i` names work on them too.
//
// Why an executable and not the objects as libraries (qXfer:libraries:read with section
// addresses, which gdb relocates itself): gdb reads libraries only once it has an
// executable, and its SPARC port unwinds with DWARF only under the GNU/Linux OS ABI,
// whose library support asks for a dynamic linker's list instead. An executable is read
// under any OS ABI.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISAS } from '../../../isa/index.js';
import {
  joinDebugSections, readElfObject, SHT_NOBITS, writeElfExecutable, type CompiledModule, type OutputSection, type OutputSymbol,
  type PlacedElfObject,
} from '../../../linker/index.js';
import type { Node } from '../../machine/index.js';

const DIR = fileURLToPath(new URL('../../../build/gdb/', import.meta.url));
const SHT_PROGBITS = 1;
/** SHF_ALLOC | SHF_EXECINSTR: code, which gdb then takes symbols in as functions. */
const CODE_FLAGS = 0x6;
const INSTRUCTION_ALIGN = 4;

/** A section of code with no object behind it (an assembly module, the mediator), and its labels. */
interface CodeWithLabels {
  readonly name: string;
  readonly address: number;
  readonly bytes: Uint8Array;
  readonly labels: ReadonlyMap<string, number>;
  readonly functions: ReadonlySet<string>;
}

function codeWithLabels(node: Node): CodeWithLabels[] {
  const plan = node.linker.plan;
  const modules = plan.modules.filter((module) => (module.objects ?? []).length === 0).map((module) => ({
    name: `.text.${module.name}`, address: module.address, bytes: module.bytes, labels: module.labels,
    functions: new Set(module.exports.keys()),
  }));
  const mediator = {
    name: '.text.mediator', address: plan.mediator.address, bytes: plan.mediator.bytes,
    labels: new Map([['mediator', plan.mediator.entry], ['mediator_failsafe', plan.mediator.failsafeEntry]]),
    functions: new Set(['mediator', 'mediator_failsafe']),
  };
  return [...modules, mediator];
}

/** The loadable sections of a module's objects, with the bytes the linker placed there. */
function placedSections(module: CompiledModule): { sections: OutputSection[]; objects: PlacedElfObject[] } {
  const sections: OutputSection[] = [];
  const objects = (module.objects ?? []).map((placed) => {
    const object = readElfObject(placed.file, readFileSync(placed.path));
    for (const { index, name, address, size } of placed.sections) {
      const section = object.sections.find((s) => s.index === index)!;
      if (size === 0) continue;
      const inCode = address >= module.address && address < module.address + module.bytes.length;
      const source = inCode ? { bytes: module.bytes, base: module.address } : module.data && { bytes: module.data.bytes, base: module.data.address };
      const bytes = section.type === SHT_NOBITS || !source ? undefined : source.bytes.subarray(address - source.base, address - source.base + size);
      sections.push({ name, type: bytes ? SHT_PROGBITS : SHT_NOBITS, flags: section.flags, address, align: section.addralign, bytes, size });
    }
    return { object, addresses: new Map(placed.sections.map((s) => [s.index, s.address])) };
  });
  return { sections, objects };
}

/** The stand-in executable's bytes for a node. */
function nodeExecutable(node: Node): Uint8Array {
  const parts = node.linker.plan.modules.map(placedSections);
  const debug = joinDebugSections(parts.flatMap((part) => part.objects));
  const code = codeWithLabels(node);
  const sections: OutputSection[] = [
    ...parts.flatMap((part) => part.sections),
    ...code.map(({ name, address, bytes }) => ({ name, type: SHT_PROGBITS, flags: CODE_FLAGS, address, align: INSTRUCTION_ALIGN, bytes })),
    ...[...debug].map(([name, { bytes, align }]) => ({ name, type: SHT_PROGBITS, flags: 0, address: 0, align, bytes })),
  ];
  const firstCode = sections.length - debug.size - code.length;
  const symbols: OutputSymbol[] = code.flatMap((part, i) => [...part.labels].map(([name, address]) => ({
    name, address, section: firstCode + i, function: part.functions.has(name),
  })));
  return writeElfExecutable(ISAS[node.isa].elfMachine, sections, symbols);
}

/** Each node's file, once written: gdb asks again at every connection and for every inferior. */
const written = new WeakMap<Node, string>();

/**
 * The stand-in's path, under build/gdb and named by its contents: nodes with the same
 * code share one file, and a file never changes once written (a node's C objects never
 * move after boot).
 */
export function nodeExecutablePath(node: Node): string {
  const known = written.get(node);
  if (known !== undefined) return known;
  const bytes = nodeExecutable(node);
  const path = join(DIR, `${node.isa}-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.elf`);
  if (!existsSync(path)) {
    mkdirSync(DIR, { recursive: true });
    // Written aside and renamed: a stub starting at the same time never reads half a file.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  written.set(node, path);
  return path;
}
