export { ISA_NAMES, isIsaName, isaFamily, type IsaName } from './isa.js';
export { Assembler, AssemblyError, type AssembleOptions, type AssembledUnit } from './toolchain/assembler.js';
export { Disassembler, type DecodedInstruction } from './toolchain/disassembler.js';
