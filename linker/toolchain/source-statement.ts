// One line of an assembly source, split the way the checks before keystone need it:
// the labels it defines, then a directive or an instruction with its operands.

export const LABEL_NAME = /^[A-Za-z_.$][\w.$]*$/;
const LEADING_LABEL = /^\s*([^\s:,"[\]()]+)\s*:(?!:)/;

export interface Statement {
  /** Label names as written, valid or not. */
  readonly labels: readonly string[];
  /** `.byte`, `.set`, ... in lower case; undefined for an instruction. */
  readonly directive: string | undefined;
  /** The instruction's mnemonic in lower case; undefined for a directive or a label-only line. */
  readonly mnemonic: string | undefined;
  /** Operands split at top-level commas. */
  readonly operands: readonly string[];
}

/** Splits at commas outside brackets, parentheses and string literals. */
function splitOperands(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

export function parseStatement(line: string): Statement {
  const labels: string[] = [];
  let rest = line;
  for (let match = LEADING_LABEL.exec(rest); match?.[1]; match = LEADING_LABEL.exec(rest)) {
    // `fs:[...]` and SPARC's `%icc` never start a line, so a leading `word:` is a label.
    labels.push(match[1]);
    rest = rest.slice(match[0].length);
  }
  rest = rest.trim();
  const head = /^(\S+)\s*(.*)$/.exec(rest);
  if (!head?.[1]) return { labels, directive: undefined, mnemonic: undefined, operands: [] };
  const word = head[1].toLowerCase();
  const operands = splitOperands(head[2] ?? '');
  return word.startsWith('.')
    ? { labels, directive: word, mnemonic: undefined, operands }
    : { labels, directive: undefined, mnemonic: word, operands };
}
