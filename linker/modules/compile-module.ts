import type { IsaName } from '../../isa/index.js';
import { LinkError } from '../link-error.js';
import type { Assembler } from '../toolchain/assembler.js';
import type { Disassembler } from '../toolchain/disassembler.js';
import type { CompiledModule, ModuleReference } from './compiled-module.js';
import { parseModuleSource } from './module-source.js';
import { placeholder, ReferenceFinder } from './reference-finder.js';

export interface ModuleSpec {
  readonly name: string;
  /** Shown in errors. */
  readonly file: string;
  readonly text: string;
  readonly address: number;
  readonly library: boolean;
}

const SETHI_KINDS = new Set(['sparc.hi22', 'sparc.h44', 'sparc.hh22', 'sparc.lm22']);
/** The longest SPARC reference sequence: the full 64-bit one, seven instructions. */
const SEQUENCE_WINDOW = 7 * 4;

/**
 * Assembles a module at its load address and finds its references to other modules:
 * one assembly with every import at placeholder a, then one per import moved to b.
 */
export function compileModule(isa: IsaName, spec: ModuleSpec, assembler: Assembler, disassembler: Disassembler,
                              symbols: ReadonlyMap<string, number>): CompiledModule {
  const source = parseModuleSource(spec.text, spec.file);
  const withImports = (moved: number) => new Map([
    ...symbols,
    ...source.imports.map((name, i): [string, number] => [name, placeholder(i === moved ? 'b' : 'a', i)]),
  ]);
  const options = { address: spec.address, file: spec.file };
  const base = assembler.assemble(isa, source.body, { ...options, symbols: withImports(-1) });
  const exports = new Map<string, number>();
  for (const name of source.exports) {
    const address = base.labels.get(name);
    if (address === undefined) throw new LinkError(`${spec.file}: .globl ${name}: no such label in the module`);
    exports.set(name, address);
  }
  for (const name of source.imports) {
    if (base.labels.has(name)) throw new LinkError(`${spec.file}: .extern ${name}: the module defines ${name} itself`);
  }

  const finder = new ReferenceFinder(isa, disassembler, spec.file);
  const boundaries = [...base.labels.values()];
  const references: ModuleReference[] = [];
  source.imports.forEach((name, i) => {
    const moved = assembler.assemble(isa, source.body, { ...options, symbols: withImports(i) });
    if (moved.bytes.length !== base.bytes.length) {
      throw new LinkError(`${spec.file}: the code size depends on the address of ${name}; refer to it with a 32-bit form`);
    }
    references.push(...finder.find(name, { address: spec.address, bytes: base.bytes, boundaries },
      { address: spec.address, bytes: moved.bytes, boundaries }, placeholder('a', i), placeholder('b', i)));
  });
  references.sort((x, y) => x.site - y.site);

  return {
    name: spec.name,
    file: spec.file,
    address: spec.address,
    bytes: base.bytes,
    labels: base.labels,
    exports,
    imports: source.imports,
    references,
    sequences: referenceSequences(references),
    library: spec.library,
  };
}

// A sethi and the instructions after it that complete the same symbol's address form one
// sequence: a core stopped between them must not combine an old half with a new one.
export function referenceSequences(references: readonly ModuleReference[]) {
  const sequences: { address: number; length: number }[] = [];
  for (const head of references) {
    if (!SETHI_KINDS.has(head.relocation.kind)) continue;
    const tail = references.filter((r) => r.symbol === head.symbol && r.site > head.site
      && r.site < head.site + SEQUENCE_WINDOW && !SETHI_KINDS.has(r.relocation.kind));
    const end = Math.max(head.site, ...tail.map((r) => r.site)) + 4;
    if (end > head.site + 4) sequences.push({ address: head.site, length: end - head.site });
  }
  return sequences;
}
