import MKeystone, { type KeystoneAssembler, type KeystoneModule } from '@alexaltea/keystone-js';
import { isaFamily, type IsaName } from '../isa.js';

export interface AssembledUnit {
  readonly bytes: Uint8Array;
  /** Address of every label the source defines, by name. */
  readonly labels: ReadonlyMap<string, number>;
}

/** An assembly source that keystone rejects, located to its line. */
export class AssemblyError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string, readonly text: string) {
    super(`${file}:${line}: ${reason}: ${text.trim()}`);
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

const LABEL_DEFINITION = /^\s*([A-Za-z_.$][\w.$]*)\s*:/;
const CONSTANT_DEFINITION = /^\s*(\.set|\.equ)\s/;

function definedLabels(lines: readonly string[]): string[] {
  const labels: string[] = [];
  for (const line of lines) {
    const match = LABEL_DEFINITION.exec(stripComment(line));
    if (match?.[1]) labels.push(match[1]);
  }
  return labels;
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

/** Keystone assemblers for every ISA, loaded once (keystone is WebAssembly). */
export class Assembler {
  private readonly engines = new Map<IsaName, KeystoneAssembler>();

  private constructor(private readonly ks: KeystoneModule) {}

  static async load(): Promise<Assembler> {
    return new Assembler(await MKeystone());
  }

  private engine(isa: IsaName): KeystoneAssembler {
    let engine = this.engines.get(isa);
    if (!engine) {
      const k = this.ks as Record<string, number> & KeystoneModule;
      engine = isaFamily(isa) === 'x86'
        ? new this.ks.Keystone(k.ARCH_X86, isa === 'x86-64' ? k.MODE_64 : k.MODE_32)
        : new this.ks.Keystone(k.ARCH_SPARC, (isa === 'sparc64' ? k.MODE_SPARC64 : k.MODE_SPARC32) | k.MODE_BIG_ENDIAN);
      this.engines.set(isa, engine);
    }
    return engine;
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
    const body = lines.join('\n');
    const labels = definedLabels(lines);
    const engine = this.engine(isa);
    const prelude = this.prelude(options.symbols, new Set(labels));
    const code = engine.asm(prelude + body, options.address);
    if (code.failed) throw this.locateError(isa, lines, options);

    // Keystone returns no symbol table: append a table of every label's address and
    // read it back from the end of the output. Keystone's sparc64 `.quad`/`.xword`
    // put the value in the wrong half, so SPARC tables use 32-bit words (labels of
    // SPARC sources must lie below 4 GiB).
    const width = isa === 'x86-64' ? 8 : 4;
    const directive = isa === 'x86-64' ? '.quad' : isaFamily(isa) === 'x86' ? '.long' : '.word';
    const withTable = engine.asm(`${prelude}${body}\n${labels.map((l) => `${directive} ${l}`).join('\n')}`, options.address);
    const table = withTable.mc.subarray(withTable.mc.length - labels.length * width);
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const little = isaFamily(isa) === 'x86';
    const addresses = new Map<string, number>();
    labels.forEach((label, i) => {
      addresses.set(label, Number(width === 8 ? view.getBigUint64(i * width, little) : view.getUint32(i * width, little)));
    });
    return { bytes: code.mc, labels: addresses };
  }

  // Keystone reports an error without a line. Assemble each line alone, with every
  // label of the source predefined, and name the first line keystone refuses.
  private locateError(isa: IsaName, lines: readonly string[], options: AssembleOptions): AssemblyError {
    const engine = this.engine(isa);
    const labels = definedLabels(lines);
    const known = new Map(options.symbols ?? []);
    for (const label of labels) known.set(label, options.address);
    const constants = lines.filter((line) => CONSTANT_DEFINITION.test(line));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '') continue;
      const own = definedLabels([line]);
      const otherConstants = constants.filter((constant) => constant !== line).join('\n');
      const result = engine.asm(`${this.prelude(known, new Set(own))}${otherConstants}\n${line}`, options.address);
      if (result.failed) return new AssemblyError(options.file, i + 1, this.ks.strerror(engine.errno()), line);
    }
    const whole = engine.asm(this.prelude(options.symbols, new Set(labels)) + lines.join('\n'), options.address);
    return new AssemblyError(options.file, lines.length, this.ks.strerror(engine.errno()), whole.failed ? '(whole file)' : '');
  }
}
