export {
  INTENSITIES, isIntensity, RESOLVED_INTENSITIES, type BindingSpec, type Intensity, type ResolvedIntensity,
} from './binding.js';
export type { Encoder, Relocation, RelocationKind, TrampolineForm } from './encoders/encoder.js';
export { EncodingRangeError } from './encoders/reach.js';
export { encoderFor } from './encoders/registry.js';
export { LinkError } from './link-error.js';
export type { ChangeTicket, CodeChange, CodeRange, LinkMemory } from './link-memory.js';
export type { LinkPlan } from './link-plan.js';
export { BufferLinkMemory } from './buffer-link-memory.js';
export { Linker, type Resolution, type SymbolState } from './linker.js';
export { linkReport, type LinkReport, type ModuleRow, type SymbolRow } from './link-report.js';
export { buildMediator, mediatorSourcePath, type Mediator } from './mediator/mediator.js';
export { LINKAGE_REGISTER, linkTraps } from './mediator/mediator-abi.js';
export type { CompiledModule, ModuleReference } from './modules/compiled-module.js';
export { compileModule, type ModuleSpec } from './modules/compile-module.js';
export { ModuleSourceError } from './modules/module-source.js';
export { Assembler, AssemblyError, type AssembleOptions, type AssembledUnit } from './toolchain/assembler.js';
export { Disassembler, type DecodedInstruction } from './toolchain/disassembler.js';
export {
  DEFAULT_KEYSTONE_LIMITS, KeystoneFailure, KeystoneWorker, type KeystoneLimits,
} from './toolchain/keystone-worker-client.js';
export { SOURCE_LIMITS } from './toolchain/source-limits.js';
export { loadToolchain, type Toolchain } from './toolchain/load-toolchain.js';
