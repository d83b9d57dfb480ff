// A C module is the ELF relocatable objects gcc made of its source and of the runtime,
// placed as one module: code and read-only data in the node's code region at the
// module's address, writable data and zeroed data in node RAM below the stacks (the
// code region is mapped read and execute). Every relocation between them is applied
// here; a symbol no object defines is the module's import, which the linker binds by
// its intensity, exactly as for an assembly module's `.extern`.
import { ISA_NAMES, type IsaName } from '../../isa/index.js';
import {
  applyRelocation, ELF_MACHINES, EM_386, EM_SPARC, EM_SPARC32PLUS, EM_SPARCV9, EM_X86_64, implicitAddend, readElfObject,
  SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, type ElfMachine, type ElfObject, type ElfSection, type ElfSymbol,
} from '../elf/index.js';
import { LinkError } from '../link-error.js';
import type { Disassembler } from '../toolchain/disassembler.js';
import { referenceSequences } from './compile-module.js';
import type { CompiledModule, ModuleReference } from './compiled-module.js';
import { placeholder, ReferenceFinder } from './reference-finder.js';

const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;
const STB_LOCAL = 0;
const STT_SECTION = 3;
/** The source file's name, an absolute symbol with no address of its own. */
const STT_FILE = 4;
/** SPARC's declaration of an application register a function uses (%g2, %g3): no address. */
const STT_SPARC_REGISTER = 13;

interface CObjectFile {
  /** The name shown in messages: the source as the image writes it, or the runtime's. */
  readonly file: string;
  /** The object on the host, where a debugger reads its DWARF. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Whether its global symbols are the module's exports (the runtime's stay private to the module). */
  readonly exports: boolean;
}

export interface CModuleSource {
  readonly name: string;
  /** The module's source as the image writes it. */
  readonly file: string;
  readonly objects: readonly CObjectFile[];
  /** Where its code starts. */
  readonly address: number;
  /** Its writable data ends here (it grows down). */
  readonly dataTop: number;
  readonly library: boolean;
}

interface Placed {
  readonly object: ElfObject;
  readonly file: string;
  readonly path: string;
  readonly exports: boolean;
  /** Section index -> guest address. */
  readonly addresses: Map<number, number>;
}

/** The ELF machines whose objects an ISA's node runs. */
const ELF_MACHINES_OF: Readonly<Record<IsaName, readonly ElfMachine[]>> = {
  'x86-32': [EM_386], 'x86-64': [EM_X86_64], sparc32: [EM_SPARC, EM_SPARC32PLUS], sparc64: [EM_SPARCV9],
};

const alignUp = (value: number, align: number) => Math.ceil(value / Math.max(1, align)) * Math.max(1, align);

/** Links the objects of one C module at its addresses; its imports stay open. */
export function compileCModule(isa: IsaName, source: CModuleSource, disassembler: Disassembler): CompiledModule {
  const placed: Placed[] = source.objects.map(({ file, path, bytes, exports }) =>
    ({ object: readElfObject(file, bytes), file, path, exports, addresses: new Map() }));
  for (const { object, file } of placed) {
    if (!ELF_MACHINES_OF[isa].includes(object.machine)) {
      const other = ISA_NAMES.find((name) => ELF_MACHINES_OF[name].includes(object.machine));
      throw new LinkError(`${file} is an object for ${other ?? ELF_MACHINES[object.machine].name}, not for ${isa}`);
    }
  }
  const allocated = (p: Placed, wanted: (s: ElfSection) => boolean) =>
    p.object.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0 && wanted(s));
  const isReadOnly = (s: ElfSection) => (s.flags & SHF_WRITE) === 0;
  const isData = (s: ElfSection) => (s.flags & SHF_WRITE) !== 0 && s.type !== SHT_NOBITS;
  const isZeroed = (s: ElfSection) => (s.flags & SHF_WRITE) !== 0 && s.type === SHT_NOBITS;

  let codeEnd = source.address;
  for (const p of placed) {
    for (const section of allocated(p, isReadOnly)) {
      codeEnd = alignUp(codeEnd, section.addralign);
      p.addresses.set(section.index, codeEnd);
      codeEnd += section.size;
    }
  }
  // Writable data is laid out from 0, then moved below dataTop at the widest alignment.
  let dataEnd = 0;
  let dataAlign = 16;
  const commons: { p: Placed; symbol: ElfSymbol; offset: number }[] = [];
  for (const wanted of [isData, isZeroed]) {
    for (const p of placed) {
      for (const section of allocated(p, wanted)) {
        dataEnd = alignUp(dataEnd, section.addralign);
        dataAlign = Math.max(dataAlign, section.addralign);
        p.addresses.set(section.index, dataEnd);
        dataEnd += section.size;
      }
    }
  }
  for (const p of placed) {
    for (const symbol of p.object.symbols.filter((s) => s.section === SHN_COMMON)) {
      // A COMMON symbol's value is its alignment.
      dataEnd = alignUp(dataEnd, symbol.value);
      dataAlign = Math.max(dataAlign, symbol.value);
      commons.push({ p, symbol, offset: dataEnd });
      dataEnd += symbol.size;
    }
  }
  const dataBase = Math.floor((source.dataTop - dataEnd) / dataAlign) * dataAlign;
  for (const p of placed) {
    for (const section of [...allocated(p, isData), ...allocated(p, isZeroed)]) {
      p.addresses.set(section.index, dataBase + p.addresses.get(section.index)!);
    }
  }

  const globals = new Map<string, { address: number; file: string; exported: boolean }>();
  const defineGlobal = (name: string, address: number, p: Placed) => {
    const earlier = globals.get(name);
    if (earlier) throw new LinkError(`${name} is defined twice: in ${earlier.file} and in ${p.file}`);
    globals.set(name, { address, file: p.file, exported: p.exports });
  };
  const symbolAddress = (p: Placed, symbol: ElfSymbol): number | undefined => {
    if (symbol.section === SHN_ABS) return symbol.value;
    const common = commons.find((c) => c.p === p && c.symbol === symbol);
    if (common) return dataBase + common.offset;
    const base = p.addresses.get(symbol.section);
    return base === undefined ? undefined : base + symbol.value;
  };
  const labels = new Map<string, number>();
  for (const p of placed) {
    for (const symbol of p.object.symbols) {
      if (symbol.name === '' || symbol.section === SHN_UNDEF || [STT_SECTION, STT_FILE, STT_SPARC_REGISTER].includes(symbol.type)) continue;
      const address = symbolAddress(p, symbol);
      if (address === undefined) continue;
      if (symbol.binding !== STB_LOCAL) defineGlobal(symbol.name, address, p);
      if (!labels.has(symbol.name) || symbol.binding !== STB_LOCAL) labels.set(symbol.name, address);
    }
  }

  // Every relocation is applied to fresh copies of the sections: a REL addend is read
  // from the field it patches, so the bytes must be the object's own each time.
  const importNames = new Set<string>();
  for (const p of placed) {
    for (const relocation of p.object.relocations) {
      const symbol = p.object.symbols[relocation.symbol]!;
      if (!p.addresses.has(relocation.section) || symbol.section !== SHN_UNDEF || globals.has(symbol.name)) continue;
      // The linker rebinds instructions (call sites, address pairs); a pointer stored in
      // data would keep the first binding for good.
      const section = p.object.sections.find((s) => s.index === relocation.section)!;
      if ((section.flags & SHF_EXECINSTR) === 0) {
        throw new LinkError(`${p.file}: ${symbol.name} is another module's, and only code may refer to another module (${section.name} refers to it)`);
      }
      importNames.add(symbol.name);
    }
  }
  const imports = [...importNames].sort();
  const relocated = (importAddress: (name: string, index: number) => number) => {
    const code = new Uint8Array(codeEnd - source.address);
    const data = new Uint8Array(source.dataTop - dataBase);
    for (const p of placed) {
      for (const section of [...allocated(p, isReadOnly), ...allocated(p, isData)]) {
        const address = p.addresses.get(section.index)!;
        if (isReadOnly(section)) code.set(section.data, address - source.address);
        else data.set(section.data, address - dataBase);
      }
    }
    for (const p of placed) {
      for (const relocation of p.object.relocations) {
        const target = p.addresses.get(relocation.section);
        if (target === undefined) continue; // debug information and other sections not loaded
        const symbol = p.object.symbols[relocation.symbol]!;
        const address = symbol.section !== SHN_UNDEF ? symbolAddress(p, symbol)
          : globals.get(symbol.name)?.address ?? importAddress(symbol.name, imports.indexOf(symbol.name));
        const inCode = target < codeEnd;
        const bytes = inCode ? code : data;
        const where = { bytes, offset: Number(relocation.offset) + target - (inCode ? source.address : dataBase), address: BigInt(target) + relocation.offset };
        const addend = relocation.explicitAddend ? relocation.addend : implicitAddend(p.object.machine, relocation.type, where);
        applyRelocation(p.object.machine, relocation.type, where, BigInt(address!), addend, relocation.addend2);
      }
    }
    return { code, data };
  };

  // As for assembly modules (compileModule): link once with every import at placeholder a,
  // then once per import moved to b; the bytes that moved are its references.
  const base = relocated((_, index) => placeholder('a', index));
  const finder = new ReferenceFinder(isa, disassembler, source.file);
  const boundaries = [...labels.values()].filter((address) => address >= source.address && address < codeEnd);
  const references: ModuleReference[] = imports.flatMap((name, i) => {
    const moved = relocated((_, index) => placeholder(index === i ? 'b' : 'a', index));
    return finder.find(name, { address: source.address, bytes: base.code, boundaries },
      { address: source.address, bytes: moved.code, boundaries }, placeholder('a', i), placeholder('b', i));
  }).sort((x, y) => x.site - y.site);

  return {
    name: source.name,
    file: source.file,
    address: source.address,
    bytes: base.code,
    labels,
    exports: new Map([...globals].filter(([, global]) => global.exported).map(([name, { address }]) => [name, address])),
    imports,
    references,
    sequences: referenceSequences(references),
    library: source.library,
    data: { address: dataBase, bytes: base.data },
    objects: placed.map((p) => ({
      file: p.file,
      path: p.path,
      // An empty section takes no room; it is named at the module's address, since a
      // debugger wants an address for every loadable section.
      sections: p.object.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0)
        .map((s) => ({ index: s.index, name: s.name, address: p.addresses.get(s.index) ?? source.address, size: s.size })),
    })),
  };
}
