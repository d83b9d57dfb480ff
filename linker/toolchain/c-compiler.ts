// Guest C is compiled by Debian's gcc cross compilers into ELF relocatable objects,
// which the linker places and binds itself. The flags are fixed, the same for every
// image, because what the emulated machine can run decides them:
//   - freestanding, no libc, no startup files: the guest's only services are the
//     kernel's syscalls (the runtime in images/lib/c wraps them);
//   - -fno-pic -fno-pie: code is linked at a known address and has no GOT or PLT;
//   - no stack protector (it reads %fs/%gs or a libc guard), no unwind tables;
//   - -mflat on SPARC: Unicorn does not spill register windows, so no `save`;
//   - sparc32 is Unicorn's V8 LEON: -m32 -mcpu=v8; sparc64 -m64 -mcmodel=medlow, so
//     addresses are 32-bit `sethi`/`or` pairs (a node's code lies below 4 GiB);
//   - -mno-red-zone on x86-64: a trap may push below the stack pointer;
//   - -O2 and -g always: the debugger reads the DWARF, and -O2 is what people run;
//   - no loop turned into a memset/memcpy call (the runtime's own memset is such a loop);
//   - __clustervm__ defined, for code that also builds for the host.
// An object is cached by a hash of the source, the headers beside it and in the
// runtime, the flags and the compiler's version: a second boot does not run gcc.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsaName } from '../../isa/index.js';

/** The guest C runtime: clustervm.h and runtime.c. */
export const C_RUNTIME_DIR = fileURLToPath(new URL('../../images/lib/c/', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../build/c-objects/', import.meta.url));

const COMMON_FLAGS = [
  '-c', '-g', '-O2', '-std=gnu11', '-ffreestanding', '-fno-builtin', '-nostdlib', '-fno-pic', '-fno-pie',
  '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fno-common', '-fno-tree-loop-distribute-patterns', '-Wall',
  '-D__clustervm__',
] as const;

/** Per ISA: the compiler and the flags beyond COMMON_FLAGS (README, "The C runtime"). */
const C_COMPILERS: Readonly<Record<IsaName, { readonly compiler: string; readonly flags: readonly string[] }>> = {
  'x86-32': { compiler: 'i686-linux-gnu-gcc', flags: ['-m32', '-march=i686'] },
  'x86-64': { compiler: 'gcc', flags: ['-m64', '-mno-red-zone', '-mcmodel=small'] },
  sparc32: { compiler: 'sparc64-linux-gnu-gcc', flags: ['-m32', '-mcpu=v8', '-mflat'] },
  sparc64: { compiler: 'sparc64-linux-gnu-gcc', flags: ['-m64', '-mflat', '-mcmodel=medlow'] },
};

/** The flags clustervm compiles `isa` C with, the runtime's include directory last. */
function cFlags(isa: IsaName): string[] {
  return [...COMMON_FLAGS, ...C_COMPILERS[isa].flags, '-I', C_RUNTIME_DIR];
}

/** gcc refused the source; `message` is its first error, as gcc wrote it. */
export class CCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CCompileError';
  }
}

const versions = new Map<string, string>();

function compilerVersion(compiler: string): string {
  let version = versions.get(compiler);
  if (version === undefined) {
    try {
      version = execFileSync(compiler, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
    } catch {
      throw new CCompileError(`${compiler} is not installed: run \`make deps\` (it installs Debian's gcc cross compilers)`);
    }
    versions.set(compiler, version);
  }
  return version;
}

function headersIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.h')).sort().map((name) => readFileSync(join(dir, name), 'utf8'));
}

/** gcc's first error line (or its first line at all), for one clear message. */
function firstMessage(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.find((line) => /\berror\b/.test(line)) ?? lines[0] ?? 'gcc failed without a message';
}

/** A compiled object: its bytes, and the cached file a debugger reads its DWARF from. */
export interface CObject {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Compiles `source` (a path relative to `baseDir`, as the image writes it) for `isa`.
 * gcc runs in `baseDir`, so its messages and the DWARF name the file as the image does.
 */
export function compileC(isa: IsaName, baseDir: string, source: string): CObject {
  const { compiler } = C_COMPILERS[isa];
  const path = resolve(baseDir, source);
  const flags = cFlags(isa);
  const key = createHash('sha256')
    .update(JSON.stringify([compilerVersion(compiler), flags, baseDir, source, readFileSync(path, 'utf8'),
      headersIn(dirname(path)), headersIn(C_RUNTIME_DIR)]))
    .digest('hex');
  const cached = join(CACHE_DIR, `${isa}-${key}.o`);
  if (existsSync(cached)) return { path: cached, bytes: readFileSync(cached) };
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written aside and renamed: a crash or a concurrent boot never leaves half an object.
  const partial = `${cached}.${process.pid}.tmp`;
  // LC_ALL=C: plain ASCII quotes in gcc's messages, whatever the user's locale.
  const run = spawnSync(compiler, [...flags, '-I', dirname(path), '-o', partial, source],
    { encoding: 'utf8', cwd: baseDir, env: { ...process.env, LC_ALL: 'C' } });
  if (run.error) throw new CCompileError(`${compiler}: ${run.error.message}`);
  if (run.status !== 0) throw new CCompileError(firstMessage(run.stderr));
  renameSync(partial, cached);
  return { path: cached, bytes: readFileSync(cached) };
}
