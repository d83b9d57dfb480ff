import { ISAS, type IsaName } from '../../isa/index.js';
import { ASSEMBLER_DIALECTS } from './assembler-dialect.js';
import { evaluateConstant } from './constant-expression.js';
import { keystonePitfall } from './keystone-pitfalls.js';
import { DEFAULT_KEYSTONE_LIMITS, KeystoneFailure, KeystoneWorker, type KeystoneLimits } from './keystone-worker-client.js';
import { sourceLimitProblem } from './source-limits.js';
import { parseStatement } from './source-statement.js';

export interface AssembledUnit {
  readonly bytes: Uint8Array;
  /** Address of every label the source defines, by name. */
  readonly labels: ReadonlyMap<string, number>;
}

/** An assembly source that keystone rejects, or that the checks before keystone refuse, located to its line. */
export class AssemblyError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string, readonly text: string) {
    super(text.trim() === '' ? `${file}:${line}: ${reason}` : `${file}:${line}: ${reason}: ${text.trim()}`);
    this.name = 'AssemblyError';
  }
}

export interface AssembleOptions {
  /** Where the bytes will live in guest memory. */
  readonly address: number;
  /** Shown in errors. */
  readonly file: string;
  /** Symbols defined before the source (`.set NAME, value`), such as kernel constants. */
  readonly symbols?: ReadonlyMap<string, number>;
}

const CONSTANT_DEFINITION = /^\s*(\.set|\.equ)\s/;

interface LabelDefinition {
  readonly name: string;
  /** 0-based line index. */
  readonly index: number;
}

function labelDefinitions(lines: readonly string[]): LabelDefinition[] {
  return lines.flatMap((line, index) => parseStatement(line).labels.map((name) => ({ name, index })));
}

// Keystone takes `;` as a statement separator, so comments are stripped first: `#`
// and `!` on SPARC, `;` and `#` on x86 (outside string literals).
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"' && line[i - 1] !== '\\') inString = !inString;
    if (!inString && (ch === ';' || ch === '#' || ch === '!')) return line.slice(0, i);
  }
  return line;
}

/**
 * Keystone (WebAssembly) for every ISA, run in a worker thread with a time bound, behind
 * checks for the inputs it cannot take and the constructs it mis-assembles silently.
 */
export class Assembler {
  private constructor(private readonly keystone: KeystoneWorker) {}

  static async load(limits: KeystoneLimits = DEFAULT_KEYSTONE_LIMITS): Promise<Assembler> {
    const keystone = new KeystoneWorker(limits);
    await keystone.start();
    return new Assembler(keystone);
  }

  private prelude(symbols: ReadonlyMap<string, number> | undefined, except: ReadonlySet<string>): string {
    const lines: string[] = [];
    for (const [name, value] of symbols ?? []) {
      if (!except.has(name)) lines.push(`.set ${name}, 0x${value.toString(16)}`);
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  /** Assembles a whole source; throws AssemblyError naming the first bad line. */
  assemble(isa: IsaName, source: string, options: AssembleOptions): AssembledUnit {
    const lines = source.split('\n').map(stripComment);
    const definitions = labelDefinitions(lines);
    this.check(isa, source, lines, definitions, options);
    const labels = definitions.map((d) => d.name);
    const body = lines.join('\n');
    const prelude = this.prelude(options.symbols, new Set(labels));
    const code = this.run(isa, prelude + body, options, lines);
    if (code.failed) throw this.locateError(isa, lines, options);
    if (code.bytes.length === 0) {
      const last = definitions[definitions.length - 1];
      throw new AssemblyError(options.file, last ? last.index + 1 : 1, 'the source assembles to no bytes (a program needs at least one instruction)', '');
    }

    // Keystone returns no symbol table: append a table of every label's address and
    // read it back from the end of the output.
    const { directive, bytes: width } = ASSEMBLER_DIALECTS[isa].labelEntry;
    const withTable = this.run(isa, `${prelude}${body}\n${labels.map((l) => `${directive} ${l}`).join('\n')}`, options, lines);
    const tableBytes = labels.length * width;
    // The code must come back unchanged with the table after it (SPARC may pad before
    // the table): anything else means keystone lost part of the input.
    if (withTable.failed || withTable.bytes.length < code.bytes.length + tableBytes
      || withTable.bytes.subarray(0, code.bytes.length).some((byte, i) => byte !== code.bytes[i])) {
      throw new AssemblyError(options.file, lines.length, 'keystone did not assemble the whole source', '');
    }
    const table = withTable.bytes.subarray(withTable.bytes.length - tableBytes);
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const little = ISAS[isa].littleEndian;
    const addresses = new Map<string, number>();
    labels.forEach((label, i) => {
      addresses.set(label, Number(width === 8 ? view.getBigUint64(i * width, little) : view.getUint32(i * width, little)));
    });
    return { bytes: code.bytes, labels: addresses };
  }

  /** Ends keystone's worker thread; the next assembly starts a new one. */
  close(): void {
    this.keystone.stop();
  }

  // The checks keystone needs before it sees the source: limits it cannot take, then
  // constructs it would mis-assemble.
  private check(isa: IsaName, source: string, lines: readonly string[], definitions: readonly LabelDefinition[],
                options: AssembleOptions): void {
    const seen = new Map<string, number>();
    for (const { name, index } of definitions) {
      const first = seen.get(name);
      if (first !== undefined) {
        throw new AssemblyError(options.file, index + 1, `label '${name}' is already defined at line ${first + 1}`, lines[index] ?? '');
      }
      seen.set(name, index);
    }
    const constant = constantsOf(lines, options.symbols, new Set(seen.keys()));
    const limit = sourceLimitProblem(source, lines, constant);
    if (limit) throw new AssemblyError(options.file, limit.line, limit.reason, '');
    const kinds = { constant, labels: new Set(seen.keys()) };
    lines.forEach((line, index) => {
      const pitfall = keystonePitfall(isa, line, kinds);
      if (pitfall) throw new AssemblyError(options.file, index + 1, pitfall, line);
    });
  }

  private run(isa: IsaName, text: string, options: AssembleOptions, lines: readonly string[]) {
    try {
      return this.keystone.assemble(isa, text, options.address);
    } catch (error) {
      if (!(error instanceof KeystoneFailure)) throw error;
      throw new AssemblyError(options.file, this.lineOfFailure(isa, lines, options) ?? 1, error.message, '');
    }
  }

  // Keystone trapped or hung on the whole source: the line that fails alone is the one
  // to name. Each line is tried under the same bound, in a fresh thread after a failure.
  private lineOfFailure(isa: IsaName, lines: readonly string[], options: AssembleOptions): number | undefined {
    const known = new Map(options.symbols ?? []);
    for (const { name } of labelDefinitions(lines)) known.set(name, options.address);
    for (let i = 0; i < lines.length; i++) {
      if ((lines[i] ?? '').trim() === '') continue;
      try {
        this.keystone.assemble(isa, `${this.prelude(known, new Set(parseStatement(lines[i]!).labels))}${lines[i]}`, options.address);
      } catch (error) {
        if (error instanceof KeystoneFailure) return i + 1;
        throw error;
      }
    }
    return undefined;
  }

  // Keystone reports an error without a line. Assemble each line alone, with every
  // label of the source predefined, and name the first line keystone refuses.
  private locateError(isa: IsaName, lines: readonly string[], options: AssembleOptions): AssemblyError {
    const labels = labelDefinitions(lines).map((d) => d.name);
    const known = new Map(options.symbols ?? []);
    for (const label of labels) known.set(label, options.address);
    const constants = lines.filter((line) => CONSTANT_DEFINITION.test(line));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '') continue;
      const own = parseStatement(line).labels;
      const otherConstants = constants.filter((constant) => constant !== line).join('\n');
      const result = this.run(isa, `${this.prelude(known, new Set(own))}${otherConstants}\n${line}`, options, lines);
      if (result.failed) return new AssemblyError(options.file, i + 1, result.reason, line);
    }
    const whole = this.run(isa, this.prelude(options.symbols, new Set(labels)) + lines.join('\n'), options, lines);
    return new AssemblyError(options.file, lines.length, whole.reason, whole.failed ? '(whole file)' : '');
  }
}

/** Values of the kernel's symbols and of the source's `.set`/`.equ` constants, in source order. */
function constantsOf(lines: readonly string[], symbols: ReadonlyMap<string, number> | undefined,
                     labels: ReadonlySet<string>): (name: string) => bigint | undefined {
  const values = new Map<string, bigint>();
  for (const [name, value] of symbols ?? []) if (!labels.has(name)) values.set(name, BigInt(value));
  const lookup = (name: string) => values.get(name);
  for (const line of lines) {
    const statement = parseStatement(line);
    if ((statement.directive === '.set' || statement.directive === '.equ') && statement.operands.length === 2) {
      const value = evaluateConstant(statement.operands[1]!, lookup);
      if (value === undefined) values.delete(statement.operands[0]!);
      else values.set(statement.operands[0]!, value);
    }
  }
  return lookup;
}
