declare module '@alexaltea/keystone-js' {
  export interface KeystoneResult { mc: Uint8Array; count: number; failed: boolean }
  export interface KeystoneAssembler {
    asm(source: string, address: number | bigint): KeystoneResult;
    option(option: number, value: number): void;
    errno(): number;
    close(): void;
  }
  export interface KeystoneModule {
    Keystone: new (arch: number, mode: number) => KeystoneAssembler;
    strerror(code: number): string;
    [constant: string]: unknown;
  }
  const MKeystone: () => Promise<KeystoneModule>;
  export default MKeystone;
}

declare module '@alexaltea/capstone-js' {
  export interface CapstoneInstruction {
    address: bigint | number;
    size: number;
    bytes: number[];
    mnemonic: string;
    op_str: string;
  }
  export interface CapstoneDisassembler {
    disasm(bytes: ArrayLike<number>, address: number | bigint, count?: number): CapstoneInstruction[];
    close(): void;
  }
  export interface CapstoneModule {
    Capstone: new (arch: number, mode: number) => CapstoneDisassembler;
    readonly ARCH_X86: number;
    readonly ARCH_SPARC: number;
    readonly MODE_32: number;
    readonly MODE_64: number;
    readonly MODE_BIG_ENDIAN: number;
    readonly MODE_V9: number;
  }
  const MCapstone: () => Promise<CapstoneModule>;
  export default MCapstone;
}
