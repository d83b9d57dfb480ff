import { evaluateConstant } from './constant-expression.js';
import { LABEL_NAME, parseStatement } from './source-statement.js';

// What keystone (WebAssembly) cannot take, checked before it sees a source: it traps,
// loops forever, overflows its stack or runs out of memory on each of these instead of
// reporting an error. Every limit is reported as one error naming the line.

const SOURCE_LIMITS = {
  /** Keystone copies the source onto its 64 KiB-ish stack; past ~78 KB it traps or hangs. */
  sourceBytes: 64 * 1024,
  lineChars: 4096,
  /** Keystone's expression parser recurses per parenthesis and per operator. */
  parenthesisDepth: 32,
  operatorsPerLine: 256,
  /** `.space`, `.fill` and friends: more than the whole code region is a mistake. */
  reservedBytes: 1024 * 1024,
  /** `.align`/`.balign`/`.p2align`: keystone pads by looping byte by byte. */
  alignment: 4096,
} as const;

/** A line keystone must not see, and why. */
export interface SourceProblem {
  /** 1-based. */
  readonly line: number;
  readonly reason: string;
}

const DATA_DIRECTIVES = new Set([
  '.byte', '.short', '.half', '.hword', '.2byte', '.word', '.long', '.int', '.4byte', '.quad', '.xword', '.8byte',
  '.ascii', '.asciz', '.string',
]);
/** A mnemonic is a word, on SPARC with its `,a`/`,pt` suffixes: a line opening with a number, a sign or a colon is none. */
const MNEMONIC = /^[a-z_][\w.]*(?:,[a-z]+)*$/;
const SYMBOL_DIRECTIVES = new Set(['.set', '.equ', '.globl', '.global', '.extern']);
const ALIGN_DIRECTIVES = new Set(['.align', '.balign', '.p2align']);
const RESERVE_DIRECTIVES = new Set(['.space', '.skip', '.zero', '.fill']);
const UNSUPPORTED: Record<string, string> = {
  '.include': 'keystone cannot read other files and drops .include silently: make the other file a module',
  '.incbin': 'keystone cannot read other files and drops .incbin silently: write the bytes with .byte',
  '.macro': 'keystone drops recursive macros silently: write the code out',
  '.rept': 'keystone repeats blocks unreliably: write the code out',
  '.section': 'keystone assembles one flat section (.section fails after printing "error:"): put data after the code',
  '.data': 'keystone assembles one flat section: put data after the code',
};

/** Every problem class that makes keystone misbehave, first one in source order. */
export function sourceLimitProblem(source: string, lines: readonly string[],
                                   constants: (name: string) => bigint | undefined): SourceProblem | undefined {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > SOURCE_LIMITS.sourceBytes) {
    return { line: lineAtByte(source, SOURCE_LIMITS.sourceBytes),
      reason: `the source is ${bytes} bytes, over keystone's limit of ${SOURCE_LIMITS.sourceBytes}: split it into modules` };
  }
  let reserved = 0n;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const reason = characterProblem(line) ?? nestingProblem(line) ?? statementProblem(line, constants, (size) => {
      reserved += size;
      return reserved > BigInt(SOURCE_LIMITS.reservedBytes)
        ? `the source reserves more than ${SOURCE_LIMITS.reservedBytes} bytes` : undefined;
    });
    if (reason) return { line: i + 1, reason };
  }
  return undefined;
}

function lineAtByte(source: string, byte: number): number {
  return Buffer.from(source, 'utf8').subarray(0, byte).toString('utf8').split('\n').length;
}

// Keystone loops forever on a control character, DEL or a non-ASCII byte in a statement,
// and a NUL ends its input early (so the rest of the source, and the label table
// appended to it, silently vanish).
function characterProblem(line: string): string | undefined {
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    if (code === 9 || (code >= 0x20 && code < 0x7f)) continue;
    const name = code === 0 ? ' (NUL)' : code === 13 ? ' (carriage return: save the file with Unix line ends)' : '';
    return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}${name} is not allowed outside comments (keystone takes printable ASCII)`;
  }
  let quotes = 0;
  for (let i = 0; i < line.length; i++) if (line[i] === '"' && line[i - 1] !== '\\') quotes++;
  if (quotes % 2 === 1) return 'unterminated string literal (keystone loops forever on it)';
  return undefined;
}

function nestingProblem(line: string): string | undefined {
  if (line.length > SOURCE_LIMITS.lineChars) return `the line is ${line.length} characters long, over ${SOURCE_LIMITS.lineChars}`;
  let depth = 0;
  let deepest = 0;
  for (const ch of line) {
    if (ch === '(') deepest = Math.max(deepest, ++depth);
    if (ch === ')') depth--;
  }
  if (deepest > SOURCE_LIMITS.parenthesisDepth) {
    return `parentheses nested ${deepest} deep, over keystone's limit of ${SOURCE_LIMITS.parenthesisDepth}`;
  }
  const operators = line.replace(/"(?:[^"\\]|\\.)*"/g, '').match(/<<|>>|[-+*/%&|^~]/g)?.length ?? 0;
  if (operators > SOURCE_LIMITS.operatorsPerLine) {
    return `an expression of ${operators} operators, over keystone's limit of ${SOURCE_LIMITS.operatorsPerLine}: split it with .set`;
  }
  return undefined;
}

function statementProblem(line: string, constants: (name: string) => bigint | undefined,
                          reserve: (bytes: bigint) => string | undefined): string | undefined {
  const statement = parseStatement(line);
  for (const label of statement.labels) {
    if (!LABEL_NAME.test(label)) return `'${label}' is not a label name (letters, digits, _ . $; keystone loops forever on it)`;
  }
  if (statement.mnemonic !== undefined && !MNEMONIC.test(statement.mnemonic)) {
    return `'${statement.mnemonic}' is not an instruction, a directive or a label (keystone loops forever on a line that starts so)`;
  }
  const directive = statement.directive;
  if (directive !== undefined && SYMBOL_DIRECTIVES.has(directive)) {
    const names = directive === '.set' || directive === '.equ' ? statement.operands.slice(0, 1) : statement.operands;
    const bad = names.find((name) => !LABEL_NAME.test(name));
    return bad === undefined ? undefined : `${directive} '${bad}': not a symbol name (letters, digits, _ . $; keystone loops forever on it)`;
  }
  if (directive === undefined || DATA_DIRECTIVES.has(directive)) return undefined;
  const unsupported = UNSUPPORTED[directive];
  if (unsupported) return `${directive} is not supported: ${unsupported}`;
  const value = (index: number, fallback?: bigint) => {
    const text = statement.operands[index];
    return text === undefined || text === '' ? fallback : evaluateConstant(text, constants);
  };
  if (ALIGN_DIRECTIVES.has(directive)) {
    const amount = value(0);
    const alignment = directive === '.p2align' && amount !== undefined && amount >= 0n && amount < 64n ? 1n << amount : amount;
    if (alignment === undefined || alignment < 1n || alignment > BigInt(SOURCE_LIMITS.alignment)) {
      return `${directive} ${statement.operands[0] ?? ''}: the alignment must be a constant from 1 to ${SOURCE_LIMITS.alignment} bytes`;
    }
    return undefined;
  }
  if (RESERVE_DIRECTIVES.has(directive)) {
    const count = value(0);
    const size = directive === '.fill' ? value(1, 1n) : 1n;
    if (count === undefined || size === undefined || count < 0n || size < 0n || size > 8n) {
      return `${directive} ${statement.operands.join(', ')}: the count (and .fill's size, at most 8) must be constants`;
    }
    if (count * size > BigInt(SOURCE_LIMITS.reservedBytes)) {
      return `${directive} reserves ${count * size} bytes, over ${SOURCE_LIMITS.reservedBytes}`;
    }
    return reserve(count * size);
  }
  return `${directive} is not supported: keystone drops or mis-assembles directives other than data, alignment, .space/.fill and .set/.equ`;
}
