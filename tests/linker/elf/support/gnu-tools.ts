// The GNU tools the ELF suites check clustervm against: the gcc cross compilers with the
// flags clustervm compiles guest C with, gas, ld, objcopy, and readelf, whose listings
// are parsed here so that no expected value is written into a test.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EM_386, EM_SPARC, EM_SPARCV9, EM_X86_64, type ElfMachine } from '../../../../linker/elf/index.js';

const INSTALL_HINT = 'the gcc cross compilers and binutils are missing: `make deps` installs them '
  + '(apt-get install gcc gcc-i686-linux-gnu gcc-sparc64-linux-gnu)';

/** Runs a tool and returns its stdout; a missing tool fails with what to install, a failing one with its stderr. */
export function run(tool: string, args: readonly string[], cwd?: string): string {
  try {
    return execFileSync(tool, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    throw new Error(toolFailure(tool, args, error), { cause: error });
  }
}

/** Runs a tool that may fail; returns its status and stderr (ld reports truncated relocations there). */
export function runForStatus(tool: string, args: readonly string[]): { status: number; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error) throw new Error(toolFailure(tool, args, result.error), { cause: result.error });
  return { status: result.status ?? -1, stderr: result.stderr };
}

function toolFailure(tool: string, args: readonly string[], error: unknown): string {
  const failure = error as { code?: string; stderr?: string; message?: string };
  if (failure.code === 'ENOENT') return `${tool} not found: ${INSTALL_HINT}`;
  return `${tool} ${args.join(' ')} failed: ${failure.stderr || failure.message || String(error)}`;
}

const COMMON_C_FLAGS = [
  '-c', '-g', '-O2', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-nostdlib',
];

/** One way clustervm compiles guest C: the compiler, its flags beyond the common ones, the matching readelf. */
export interface CTarget {
  readonly name: string;
  readonly machine: ElfMachine;
  readonly compiler: string;
  readonly flags: readonly string[];
  readonly readelf: string;
  /** GNU ld and its emulation for these objects. */
  readonly link: readonly string[];
}

export const C_TARGETS: readonly CTarget[] = [
  {
    name: 'x86-32', machine: EM_386, compiler: 'i686-linux-gnu-gcc', flags: [], readelf: 'i686-linux-gnu-readelf',
    link: ['i686-linux-gnu-ld', '-m', 'elf_i386'],
  },
  {
    name: 'x86-64', machine: EM_X86_64, compiler: 'gcc', flags: ['-m64', '-mno-red-zone', '-mcmodel=small'], readelf: 'readelf',
    link: ['ld', '-m', 'elf_x86_64'],
  },
  {
    name: 'sparc32', machine: EM_SPARC, compiler: 'sparc64-linux-gnu-gcc', flags: ['-m32', '-mcpu=v8', '-mflat'], readelf: 'sparc64-linux-gnu-readelf',
    link: ['sparc64-linux-gnu-ld', '-m', 'elf32_sparc'],
  },
  ...['medlow', 'medmid', 'medany'].map((model): CTarget => ({
    name: `sparc64 -mcmodel=${model}`, machine: EM_SPARCV9, compiler: 'sparc64-linux-gnu-gcc',
    flags: ['-m64', '-mflat', `-mcmodel=${model}`], readelf: 'sparc64-linux-gnu-readelf',
    link: ['sparc64-linux-gnu-ld', '-m', 'elf64_sparc'],
  })),
];

/** Compiles `source` (a path) into `output` and returns the object's bytes. */
export function compileC(target: CTarget, source: string, output: string, extraFlags: readonly string[] = []): Uint8Array {
  run(target.compiler, [...COMMON_C_FLAGS, ...target.flags, ...extraFlags, source, '-o', output]);
  return readFileSync(output);
}

/** A row of `readelf -SW`. */
export interface ListedSection {
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly entsize: number;
  readonly flags: string;
  readonly link: number;
  readonly info: number;
  readonly align: number;
}

export function listSections(readelf: string, object: string): ListedSection[] {
  return run(readelf, ['-SW', object]).split('\n').flatMap((line) => {
    const row = /^\s*\[\s*(\d+)\](.*)$/.exec(line);
    if (!row) return [];
    // Name (empty for section 0), type, address, offset, size, entry size, flags (may be empty), link, info, align.
    const fields = row[2]!.trim().split(/\s+/);
    const [align, info, link] = [fields.pop()!, fields.pop()!, fields.pop()!];
    const flags = /\d/.test(fields.at(-1)!) ? '' : fields.pop()!;
    const [entsize, size, offset] = [fields.pop()!, fields.pop()!, fields.pop()!];
    fields.pop();
    const type = fields.pop()!;
    return [{
      index: Number(row[1]), name: fields.join(' '), type, offset: parseInt(offset, 16), size: parseInt(size, 16),
      entsize: parseInt(entsize, 16), flags, link: Number(link), info: Number(info), align: Number(align),
    }];
  });
}

/** A row of `readelf -sW`. */
export interface ListedSymbol {
  readonly index: number;
  readonly value: bigint;
  readonly size: number;
  readonly type: string;
  readonly binding: string;
  readonly section: string;
  readonly name: string;
}

export function listSymbols(readelf: string, object: string): ListedSymbol[] {
  return run(readelf, ['-sW', object]).split('\n').flatMap((line) => {
    const row = /^\s*(\d+): ([0-9a-f]+)\s+(0x[0-9a-f]+|\d+) (\S+)\s+(\S+)\s+\S+\s+(\S+) ?(.*)$/.exec(line);
    if (!row) return [];
    return [{
      index: Number(row[1]), value: BigInt(`0x${row[2]!}`), size: Number(row[3]), type: row[4]!, binding: row[5]!,
      section: row[6]!, name: row[7]!,
    }];
  });
}

/** A row of `readelf -rW`, under the relocation section it belongs to. */
export interface ListedRelocation {
  readonly relocationSection: string;
  readonly offset: bigint;
  readonly info: bigint;
  readonly type: string;
  readonly symbolName: string;
  /** RELA's addend; undefined for REL. */
  readonly addend: bigint | undefined;
  /** R_SPARC_OLO10's second addend, the third term readelf prints. */
  readonly addend2: bigint | undefined;
}

export function listRelocations(readelf: string, object: string): ListedRelocation[] {
  let relocationSection = '';
  return run(readelf, ['-rW', object]).split('\n').flatMap((line) => {
    const heading = /^Relocation section '([^']+)'/.exec(line);
    if (heading) relocationSection = heading[1]!;
    const row = /^([0-9a-f]+)\s+([0-9a-f]+)\s+(R_\S+)\s+[0-9a-f]+\s+(.*)$/.exec(line);
    if (!row) return [];
    const rest = row[4]!;
    const rela = /^(.*?) ([+-]) ([0-9a-f]+)(?: \+ ([0-9a-f]+))?$/.exec(rest);
    const signedHex = (sign: string, digits: string) => (sign === '-' ? -1n : 1n) * BigInt(`0x${digits}`);
    return [{
      relocationSection,
      offset: BigInt(`0x${row[1]!}`),
      info: BigInt(`0x${row[2]!}`),
      type: row[3]!,
      symbolName: (rela ? rela[1]! : rest).trim(),
      addend: rela ? signedHex(rela[2]!, rela[3]!) : undefined,
      addend2: rela?.[4] === undefined ? undefined : BigInt.asIntN(64, BigInt(`0x${rela[4]}`)),
    }];
  });
}
