// Runs a capstone-decoded SPARC linkage sequence symbolically, so a test can check the
// address a trampoline or stub really transfers to, as a disassembler reads it.

import type { IsaName } from '../../../isa/index.js';
import { addressBits, lastNumber, type Decoded } from './toolchain.js';

export interface SparcEffect {
  /** Where control goes: the branch, call or jmp target. */
  readonly target: bigint;
  readonly registers: ReadonlyMap<string, bigint>;
}

function number(text: string): bigint {
  const negative = text.startsWith('-');
  const magnitude = BigInt(negative ? text.slice(1) : text);
  return negative ? -magnitude : magnitude;
}

export function runSparc(isa: IsaName, program: readonly Decoded[]): SparcEffect {
  const bits = addressBits(isa);
  const registers = new Map<string, bigint>([['%g0', 0n]]);
  const read = (operand: string): bigint => {
    if (!operand.startsWith('%')) return number(operand);
    const value = registers.get(operand);
    if (value === undefined) throw new Error(`${operand} read before it was set`);
    return value;
  };
  const write = (register: string | undefined, value: bigint): void => {
    if (register === undefined) throw new Error('missing destination register');
    registers.set(register, BigInt.asUintN(64, value));
  };
  let target: bigint | undefined;
  for (const { mnemonic, operands } of program) {
    const args = operands.split(',').map((arg) => arg.trim());
    switch (mnemonic) {
      case 'sethi': write(args[1], read(args[0] ?? '') << 10n); break;
      case 'mov': write(args[1], read(args[0] ?? '')); break;
      case 'or': write(args[2], read(args[0] ?? '') | read(args[1] ?? '')); break;
      case 'sllx': write(args[2], read(args[0] ?? '') << read(args[1] ?? '')); break;
      case 'jmp': {
        const [base = '', offset = '0'] = operands.split('+');
        target = BigInt.asUintN(bits, read(base.trim()) + number(offset.trim()));
        break;
      }
      case 'nop': break;
      default:
        if (!/^(ba|call)/.test(mnemonic)) throw new Error(`unexpected ${mnemonic} ${operands}`);
        target = lastNumber(isa, operands);
    }
  }
  if (target === undefined) throw new Error('the sequence does not transfer control');
  return { target, registers };
}
