export {
  ELF_MACHINES, ElfError, EM_386, EM_SPARC, EM_SPARC32PLUS, EM_SPARCV9, EM_X86_64, readElfObject, SHN_ABS, SHN_COMMON,
  SHN_UNDEF, SHT_NOBITS, SHT_NULL, SHT_REL, SHT_RELA,
  type ElfMachine, type ElfObject, type ElfRelocation, type ElfSection, type ElfSymbol,
} from './elf-object.js';
export {
  applyRelocation, implicitAddend, RelocationError, RelocationRangeError, RELOCATIONS, UnknownRelocationError,
  type RelocationKind, type RelocationPlace,
} from './relocations.js';
export { readLineTable, type LineRow, type LineSequence } from './line-table.js';
export { joinDebugSections, type PlacedElfObject } from './debug-sections.js';
export { writeElfExecutable, type OutputSection, type OutputSymbol } from './elf-executable.js';
