// Shared by the encoders: address arithmetic in an ISA's address space, and the error
// a caller catches to fall back to a longer form.

/** An instruction cannot encode a reference to its target: the target is out of reach. */
export class EncodingRangeError extends Error {
  constructor(
    readonly instruction: string,
    readonly site: bigint,
    readonly target: bigint,
    readonly reach: string,
  ) {
    super(`${instruction} at ${hex(site)} cannot reach ${hex(target)}: its reach is ${reach}`);
    this.name = 'EncodingRangeError';
  }
}

export type AddressBits = 32 | 64;

export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/**
 * The signed distance from `from` to `to`. Addresses wrap like the program counter, so
 * on a 32-bit ISA a branch from 0xfffffff0 to 0x10 goes 0x20 forward.
 */
export function displacement(from: bigint, to: bigint, bits: AddressBits): bigint {
  return BigInt.asIntN(bits, to - from);
}

export function fitsSigned(value: bigint, bits: number): boolean {
  const half = 1n << BigInt(bits - 1);
  return value >= -half && value < half;
}

/** A bad address is a caller's bug, not a reach problem, hence RangeError. */
export function checkAddress(value: bigint, bits: AddressBits, what: string): void {
  if (value < 0n || value >= 1n << BigInt(bits)) {
    throw new RangeError(`${what} ${value < 0n ? value : hex(value)} is outside the ${bits}-bit address space`);
  }
}

/** 2^bits bytes as the reach of a signed field: ±2^(bits-1). */
export function signedReach(bits: number): string {
  const half = 1n << BigInt(bits - 1);
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let unit = 0;
  let amount = half;
  while (amount >= 1024n && amount % 1024n === 0n && unit < units.length - 1) {
    amount /= 1024n;
    unit++;
  }
  return `±${amount} ${units[unit]}`;
}

/** Mediator stub indexes fit SPARC's simm13 as a positive immediate; x86 keeps the same limit. */
export const STUB_INDEX_LIMIT = 4096;

export function checkStubIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= STUB_INDEX_LIMIT) {
    throw new RangeError(`mediator stub index ${index} is outside 0..${STUB_INDEX_LIMIT - 1}`);
  }
}
