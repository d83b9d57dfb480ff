import MCapstone, { type CapstoneDisassembler, type CapstoneModule } from '@alexaltea/capstone-js';
import { ISAS, type IsaName } from '../../isa/index.js';

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
      const c = this.cs;
      engine = ISAS[isa].family === 'x86'
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

  /**
   * One instruction as text, or its bytes (`.word` on SPARC, `.byte` on x86) when they
   * decode to nothing: capstone-js throws on such bytes rather than returning none.
   */
  describe(isa: IsaName, bytes: Uint8Array, address: number): string {
    let insn: DecodedInstruction | undefined;
    try {
      [insn] = this.disassemble(isa, bytes, address, 1);
    } catch {
      insn = undefined;
    }
    if (insn) return insn.operands ? `${insn.mnemonic} ${insn.operands}` : insn.mnemonic;
    return ISAS[isa].family === 'sparc'
      ? `.word 0x${Buffer.from(bytes).readUInt32BE(0).toString(16).padStart(8, '0')}`
      : `.byte ${Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`;
  }
}
