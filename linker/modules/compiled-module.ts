import type { Relocation } from '../encoders/encoder.js';

/** One reference from a module to a symbol another module provides. */
export interface ModuleReference {
  readonly symbol: string;
  /** Guest address of the instruction holding the reference. */
  readonly site: number;
  /** Length of that instruction in bytes. */
  readonly length: number;
  readonly relocation: Relocation;
  /** The instruction as the capstone check saw it, for reports. */
  readonly instruction: string;
}

/** A module assembled at its load address, with the references left open. */
export interface CompiledModule {
  readonly name: string;
  readonly file: string;
  readonly address: number;
  readonly bytes: Uint8Array;
  readonly labels: ReadonlyMap<string, number>;
  /** Exported symbol -> address. */
  readonly exports: ReadonlyMap<string, number>;
  readonly imports: readonly string[];
  readonly references: readonly ModuleReference[];
  /** Multi-instruction reference sequences (sethi/or pairs), restarted as a whole on a re-link. */
  readonly sequences: readonly { readonly address: number; readonly length: number }[];
  /** Kept in the module library and linked on first call instead of at boot. */
  readonly library: boolean;
  /** Writable data (a C module's .data and .bss), copied into node RAM when the module loads. */
  readonly data?: { readonly address: number; readonly bytes: Uint8Array };
  /** A C module's objects as placed; assembly modules have none. */
  readonly objects?: readonly PlacedObject[];
}

/** Where the linker placed one ELF object of a C module, for the debuggers. */
export interface PlacedObject {
  /** The source as the image names it. */
  readonly file: string;
  /** The object on the host. */
  readonly path: string;
  /** Every loadable section (SHF_ALLOC), in the object's own order. */
  readonly sections: readonly { readonly index: number; readonly name: string; readonly address: number; readonly size: number }[];
}
