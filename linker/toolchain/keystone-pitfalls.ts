import type { IsaName } from '../../isa/index.js';
import { evaluateConstant } from './constant-expression.js';
import { parseStatement, type Statement } from './source-statement.js';

// Constructs keystone assembles to the wrong bytes without a word. Each is refused with
// the form to write instead (the README lists them); all were observed with keystone-js
// 0.9.2 and read back with capstone.

export interface SymbolKinds {
  /** A constant's value (kernel symbols, imports, `.set` of constants); undefined otherwise. */
  readonly constant: (name: string) => bigint | undefined;
  /** Labels of this source. */
  readonly labels: ReadonlySet<string>;
}

const X86_REGISTER = new RegExp('^(?:[re]?(?:ax|bx|cx|dx|si|di|sp|bp|ip)|[abcd][lh]|(?:si|di|sp|bp)l'
  + '|r(?:[89]|1[0-5])[dwb]?|[c-gs]s|[xyz]mm\\d+|st\\d?|[cd]r\\d+)$', 'i');
const X86_KEYWORD = /^(?:byte|word|dword|qword|tbyte|xword|xmmword|ymmword|ptr|short|near|far|offset)$/i;
const NAME = /[A-Za-z_.$][\w.$]*/g;
const NUMBER = /\b(?:0x[0-9a-f]+|\d\w*)\b/gi;
const SPARC_TRAP = /^t(?:a|n|ne|e|g|le|ge|l|gu|leu|cc|cs|pos|neg|vc|vs|nz|z|geu|lu)$/;
const SPARC_TRAP_MAX = 127n;

type PitfallCheck = (statement: Statement, symbols: SymbolKinds) => string | undefined;

/** The checks of each ISA, in the order their reasons take precedence. */
const PITFALLS: Readonly<Record<IsaName, readonly PitfallCheck[]>> = {
  'x86-32': [pushLabelPitfall, x86OperandPitfall],
  'x86-64': [x86OperandPitfall],
  sparc32: [sparcTrapPitfall, sparcSetPitfall],
  sparc64: [sparcTrapPitfall, sparcSetPitfall, sparc64QuadPitfall],
};

/** The first pitfall on the line, as the reason to report; undefined when there is none. */
export function keystonePitfall(isa: IsaName, line: string, symbols: SymbolKinds): string | undefined {
  const statement = parseStatement(line);
  for (const check of PITFALLS[isa]) {
    const reason = check(statement, symbols);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Symbol names in an operand, in order, with the text just before each. */
function symbolUses(text: string): { name: string; before: string; after: string }[] {
  const uses: { name: string; before: string; after: string }[] = [];
  // Numbers and character literals become zeros of the same length, so no name is found in them.
  const withoutNumbers = text.replace(/'(?:[^'\\]|\\.)+'/g, (literal) => '0'.repeat(literal.length))
    .replace(NUMBER, (digits) => '0'.repeat(digits.length));
  for (const match of withoutNumbers.matchAll(NAME)) {
    const name = match[0];
    if (X86_REGISTER.test(name) || X86_KEYWORD.test(name) || /^\d/.test(name)) continue;
    const at = match.index;
    uses.push({ name, before: withoutNumbers.slice(0, at).trimEnd(), after: withoutNumbers.slice(at + name.length).trimStart() });
  }
  return uses;
}

function pushLabelPitfall(statement: Statement, symbols: SymbolKinds): string | undefined {
  if (statement.mnemonic === 'push' && statement.operands.length === 1 && symbols.labels.has(statement.operands[0]!.trim())) {
    return `keystone cannot push a label on x86-32 ('Invalid fixup'): write mov eax, ${statement.operands[0]!.trim()} then push eax`;
  }
  return undefined;
}

function x86OperandPitfall(statement: Statement): string | undefined {
  if (statement.mnemonic === undefined) return undefined;
  for (const operand of statement.operands) {
    const open = operand.indexOf('[');
    if (open >= 0) {
      const inside = operand.slice(open + 1, operand.lastIndexOf(']') > open ? operand.lastIndexOf(']') : undefined);
      const uses = symbolUses(inside);
      if (uses.length > 1) {
        return `keystone keeps only the last symbol of [${inside.trim()}] (it assembles [A + B] as [B]): `
          + `define .set SUM, ${uses.map((u) => u.name).join(' + ')} and write [SUM] (or [reg + SUM])`;
      }
      const use = uses[0];
      if (use && /[-~]$/.test(use.before)) {
        return `keystone assembles [${inside.trim()}] as if ${use.name} were added: define .set NEG, -${use.name} and add NEG`;
      }
      if (use && (/[*/]$/.test(use.before) || /^[*/]/.test(use.after))) {
        return `keystone drops the scale in [${inside.trim()}] (it assembles [${use.name} * 2] as [${use.name}]): `
          + `define .set SCALED, 2 * ${use.name} and write [reg + SCALED]`;
      }
      continue;
    }
    const uses = symbolUses(operand);
    const first = uses[0];
    if (first && first.before.replace(X86_KEYWORD_PREFIX, '') !== '') {
      return `keystone reads an operand that does not start with its symbol ('${operand}') as a memory load `
        + `[${first.name}]: write the symbol first (${first.name} + 4, not 4 + ${first.name}) or define the value with .set`;
    }
  }
  return undefined;
}

const X86_KEYWORD_PREFIX = /^(?:\s*(?:byte|word|dword|qword|ptr|short|near|far|offset)\b\s*)*/i;

function sparcTrapPitfall({ mnemonic, operands }: Statement, symbols: SymbolKinds): string | undefined {
  if (mnemonic !== undefined && SPARC_TRAP.test(mnemonic)) {
    const number = operands[operands.length - 1] ?? '';
    if (number.includes('%')) return undefined;
    const value = evaluateConstant(number, symbols.constant);
    if (value === undefined || value < 0n || value > SPARC_TRAP_MAX) {
      return `the trap number '${number}' must be a constant from 0 to ${SPARC_TRAP_MAX} `
        + `(keystone keeps its low 8 bits: ta 0x1000 assembles as ta 0)`;
    }
  }
  return undefined;
}

function sparcSetPitfall({ mnemonic, operands }: Statement): string | undefined {
  if (mnemonic === 'set' && operands.length === 2 && /[-+*/%&|^~<>()]/.test(operands[0]!.replace(/^-?\s*\d\w*$/, ''))) {
    return `keystone's set takes one symbol or number, not '${operands[0]}': define .set VALUE, ${operands[0]} and write set VALUE, ${operands[1]}`;
  }
  return undefined;
}

function sparc64QuadPitfall({ directive, operands }: Statement, symbols: SymbolKinds): string | undefined {
  if (directive === '.xword' || directive === '.quad' || directive === '.8byte') {
    const relative = operands.find((operand) => evaluateConstant(operand, symbols.constant) === undefined);
    if (relative !== undefined) {
      return `keystone puts the low 32 bits of '${relative}' in the high half of a sparc64 ${directive}: `
        + `write .word 0 then .word ${relative} (labels lie below 4 GiB)`;
    }
  }
  return undefined;
}
