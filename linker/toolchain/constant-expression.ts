// A small evaluator for the integer expressions of assembler directives and operands,
// so that sizes, alignments and trap numbers can be checked before keystone sees them.
// It answers undefined for anything it cannot evaluate exactly (a label, an unknown name).

const TOKEN = /\s*(0x[0-9a-fA-F]+|0b[01]+|\d+|[A-Za-z_.$][\w.$]*|<<|>>|[-+*/%&|^~()])/y;

type Lookup = (name: string) => bigint | undefined;

const BINARY: Record<string, [number, (a: bigint, b: bigint) => bigint | undefined]> = {
  '|': [1, (a, b) => a | b],
  '^': [2, (a, b) => a ^ b],
  '&': [3, (a, b) => a & b],
  '<<': [4, (a, b) => (b >= 0n && b < 64n ? a << b : undefined)],
  '>>': [4, (a, b) => (b >= 0n && b < 64n ? a >> b : undefined)],
  '+': [5, (a, b) => a + b],
  '-': [5, (a, b) => a - b],
  '*': [6, (a, b) => a * b],
  '/': [6, (a, b) => (b === 0n ? undefined : a / b)],
  '%': [6, (a, b) => (b === 0n ? undefined : a % b)],
};

function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match?.[1]) return undefined;
    tokens.push(match[1]);
  }
  return tokens;
}

/** The value of `text`, or undefined when it names something unknown or is not an expression. */
export function evaluateConstant(text: string, lookup: Lookup): bigint | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  let at = 0;
  const primary = (): bigint | undefined => {
    const token = tokens[at++];
    if (token === undefined) return undefined;
    if (token === '-' || token === '~' || token === '+') {
      const value = primary();
      if (value === undefined) return undefined;
      return token === '-' ? -value : token === '~' ? ~value : value;
    }
    if (token === '(') {
      const value = binary(0);
      return tokens[at++] === ')' ? value : undefined;
    }
    if (/^\d|^0[xb]/.test(token)) return BigInt(token);
    return lookup(token);
  };
  const binary = (minimum: number): bigint | undefined => {
    let left = primary();
    for (;;) {
      const operator = BINARY[tokens[at] ?? ''];
      if (left === undefined || !operator || operator[0] < minimum) return left;
      at++;
      const right = binary(operator[0] + 1);
      left = right === undefined ? undefined : operator[1](left, right);
    }
  };
  const value = binary(0);
  return at === tokens.length ? value : undefined;
}
