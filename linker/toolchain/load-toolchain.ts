import { Assembler } from './assembler.js';
import { Disassembler } from './disassembler.js';

export interface Toolchain {
  readonly assembler: Assembler;
  readonly disassembler: Disassembler;
}

let loading: Promise<Toolchain> | undefined;

/** Keystone and capstone, loaded once per process (both are WebAssembly). */
export function loadToolchain(): Promise<Toolchain> {
  loading ??= Promise.all([Assembler.load(), Disassembler.load()])
    .then(([assembler, disassembler]) => ({ assembler, disassembler }));
  return loading;
}
