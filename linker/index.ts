export { INTENSITIES, isIntensity, type BindingSpec, type Intensity } from './binding.js';
export type { Encoder, RelocationKind, TrampolineForm } from './encoders/encoder.js';
export { EncodingRangeError } from './encoders/reach.js';
export { encoderFor } from './encoders/registry.js';
export { LinkError } from './link-error.js';
export type { ChangeTicket, CodeChange, CodeRange, LinkMemory } from './link-memory.js';
export type { LinkPlan } from './link-plan.js';
export { BufferLinkMemory } from './buffer-link-memory.js';
export { Linker, type LinkerState, type SymbolState } from './linker.js';
export { linkReport, type LinkReport } from './link-report.js';
export { buildMediator, mediatorSourcePath } from './mediator/mediator.js';
export { LINKAGE_REGISTER, linkTraps } from './mediator/mediator-abi.js';
export type { CompiledModule, PlacedObject } from './modules/compiled-module.js';
export { compileModule } from './modules/compile-module.js';
export { compileCModule } from './modules/compile-c-module.js';
export {
  ElfError, joinDebugSections, readElfObject, readLineTable, RelocationRangeError, SHT_NOBITS, UnknownRelocationError, writeElfExecutable,
  type LineRow, type LineSequence, type OutputSection, type OutputSymbol, type PlacedElfObject,
} from './elf/index.js';
export { CCompileError, compileC, C_RUNTIME_DIR } from './toolchain/c-compiler.js';
export { ModuleSourceError } from './modules/module-source.js';
export { Assembler, AssemblyError } from './toolchain/assembler.js';
export { Disassembler } from './toolchain/disassembler.js';
export { KeystoneFailure, KeystoneWorker } from './toolchain/keystone-worker-client.js';
export { loadToolchain, type Toolchain } from './toolchain/load-toolchain.js';
