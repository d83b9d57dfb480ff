// The linker's directives in a module source: `.globl NAME` (or `.global`) exports a
// label, `.extern NAME` names a symbol another module provides. Keystone never sees
// them; the linker handles both.

const DIRECTIVE = /^\s*\.(globl|global|extern)\s+(.+?)\s*(?:[;#!].*)?$/;
const SYMBOL = /^[A-Za-z_.$][\w.$]*$/;

export interface ModuleSource {
  /** The source with linker directives blanked out, so line numbers stay right. */
  readonly body: string;
  readonly exports: readonly string[];
  readonly imports: readonly string[];
}

export class ModuleSourceError extends Error {}

export function parseModuleSource(text: string, file: string): ModuleSource {
  const exports: string[] = [];
  const imports: string[] = [];
  const lines = text.split('\n').map((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return line;
    for (const name of match[2]!.split(',').map((part) => part.trim())) {
      if (!SYMBOL.test(name)) throw new ModuleSourceError(`${file}:${index + 1}: '${name}' is not a symbol name`);
      (match[1] === 'extern' ? imports : exports).push(name);
    }
    return '';
  });
  return { body: lines.join('\n'), exports: [...new Set(exports)], imports: [...new Set(imports)] };
}
