import MCapstone, { type CapstoneDisassembler, type CapstoneModule } from '@alexaltea/capstone-js';
import { isaFamily, type IsaName } from '../isa.js';

export interface DecodedInstruction {
  readonly address: number;
  readonly size: number;
  readonly bytes: readonly number[];
  readonly mnemonic: string;
  readonly operands: string;
}

/** Capstone disassemblers for every ISA, loaded once (capstone is WebAssembly). */
export class Disassembler {
  private readonly engines = new Map<IsaName, CapstoneDisassembler>();

  private constructor(private readonly cs: CapstoneModule) {}

  static async load(): Promise<Disassembler> {
    return new Disassembler(await MCapstone());
  }

  private engine(isa: IsaName): CapstoneDisassembler {
    let engine = this.engines.get(isa);
    if (!engine) {
      const c = this.cs as Record<string, number> & CapstoneModule;
      engine = isaFamily(isa) === 'x86'
        ? new this.cs.Capstone(c.ARCH_X86, isa === 'x86-64' ? c.MODE_64 : c.MODE_32)
        : new this.cs.Capstone(c.ARCH_SPARC, c.MODE_BIG_ENDIAN | (isa === 'sparc64' ? c.MODE_V9 : 0));
      this.engines.set(isa, engine);
    }
    return engine;
  }

  /** Decodes up to `count` instructions (all when omitted) starting at `address`. */
  disassemble(isa: IsaName, bytes: Uint8Array, address: number, count?: number): DecodedInstruction[] {
    return this.engine(isa).disasm(Array.from(bytes), address, count).map((insn) => ({
      address: Number(insn.address),
      size: insn.size,
      bytes: insn.bytes,
      mnemonic: insn.mnemonic,
      operands: insn.op_str,
    }));
  }

  /** One instruction as text, or a `.byte` line when the bytes decode to nothing. */
  describe(isa: IsaName, bytes: Uint8Array, address: number): string {
    const [insn] = this.disassemble(isa, bytes, address, 1);
    if (!insn) return `.byte ${Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}`;
    return insn.operands ? `${insn.mnemonic} ${insn.operands}` : insn.mnemonic;
  }
}
