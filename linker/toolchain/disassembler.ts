import MCapstone, { type CapstoneDisassembler, type CapstoneModule } from '@alexaltea/capstone-js';
import { ISAS, unreachable, type IsaName } from '../../isa/index.js';

export interface DecodedInstruction {
  readonly address: number;
  readonly size: number;
  readonly bytes: readonly number[];
  readonly mnemonic: string;
  readonly operands: string;
}

/** Capstone's arch and mode for each ISA. */
const CAPSTONE_MODES: Readonly<Record<IsaName, (cs: CapstoneModule) => readonly [arch: number, mode: number]>> = {
  'x86-32': (cs) => [cs.ARCH_X86, cs.MODE_32],
  'x86-64': (cs) => [cs.ARCH_X86, cs.MODE_64],
  sparc32: (cs) => [cs.ARCH_SPARC, cs.MODE_BIG_ENDIAN],
  sparc64: (cs) => [cs.ARCH_SPARC, cs.MODE_BIG_ENDIAN | cs.MODE_V9],
};

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
      const [arch, mode] = CAPSTONE_MODES[isa](this.cs);
      engine = new this.cs.Capstone(arch, mode);
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
    const family = ISAS[isa].family;
    switch (family) {
      case 'sparc': return `.word 0x${Buffer.from(bytes).readUInt32BE(0).toString(16).padStart(8, '0')}`;
      case 'x86': return `.byte ${Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`;
      default: return unreachable(family);
    }
  }
}
