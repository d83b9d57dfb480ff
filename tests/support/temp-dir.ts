// The one place tests and benches write images: a temporary folder that holds files,
// raw images and images built from sources, and is removed with everything in it by
// cleanup() (vitest's afterAll, a bench's finally) or `using`.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IsaName } from '../../isa/index.js';

/** A program or module: its assembly text, or `file`, a source that already exists (absolute path). */
type SourceUnit = { readonly name?: string } & (
  | { readonly source: string; readonly file?: never }
  | { readonly file: string; readonly source?: never });

type ProgramSpec = SourceUnit & { readonly cores?: readonly number[] };
type ModuleSpec = SourceUnit & { readonly name: string; readonly library?: boolean };

/** A node group; fields besides programs and modules (bindings, policies, ...) go into the image as they are. */
export interface NodeSpec {
  readonly isa: IsaName;
  readonly cores: number;
  readonly count?: number;
  readonly ramMiB?: number;
  readonly programs: readonly ProgramSpec[];
  readonly modules?: readonly ModuleSpec[];
  readonly [field: string]: unknown;
}

/** An image; fields besides nodes (dsm, interconnect, channels, ...) go into it as they are. */
export interface ImageSpec {
  readonly nodes: readonly NodeSpec[];
  readonly [field: string]: unknown;
}

const fileSafe = (text: string) => text.replace(/[^\w.-]/g, '_');

export class TempDir {
  readonly path: string;
  private images = 0;

  constructor(prefix = 'clustervm-test') {
    this.path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  }

  /** Writes a file (creating parent directories) and returns its absolute path. */
  file(name: string, contents: string | Uint8Array): string {
    const path = join(this.path, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents);
    return path;
  }

  /** Writes `value` as JSON (or a raw string as is) and returns its absolute path. */
  image(name: string, value: unknown): string {
    return this.file(name, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes an image named `name` and each of its sources as a .s file beside it; returns the image's path. */
  writeImage(name: string, spec: ImageSpec): string {
    const tag = fileSafe(`${name}-${this.images++}`);
    const unit = (where: string, unit: SourceUnit) =>
      unit.file ?? this.file(`${tag}-${fileSafe(where)}.s`, unit.source);
    const nodes = spec.nodes.map((node, n) => {
      const { programs, modules, ...fields } = node;
      return {
        ...fields,
        programs: programs.map(({ source: _, file: __, ...program }, p) =>
          ({ ...program, source: unit(`n${n}-${program.name ?? `program${p}`}`, programs[p]!) })),
        ...(modules ? {
          modules: modules.map(({ source: _, file: __, ...module }, m) =>
            ({ ...module, source: unit(`n${n}-module-${module.name}`, modules[m]!) })),
        } : {}),
      };
    });
    return this.image(`${tag}.json`, { name, ...spec, nodes });
  }

  join(name: string): string {
    return join(this.path, name);
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }

  [Symbol.dispose](): void {
    this.cleanup();
  }
}
