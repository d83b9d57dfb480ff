// Builds the benches' C programs against libunicorn alone, and runs native-loop.c, the
// libunicorn-only baseline of the MIPS measurement.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestSymbols, PROGRAM_BASE, type Toolchain } from '../../../emulator/index.js';
import type { IsaName } from '../../../isa/index.js';
import { hex } from '../../support/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Build products of the benchmarks (gitignored). */
const BUILD_DIR = join(HERE, '..', '.build');
const UNICORN_HEADER = '/usr/include/unicorn/unicorn.h';

export interface NativeRun {
  readonly quantum: number;
  /** uc_emu_start calls with count = quantum (the last one ends at SYS_EXIT). */
  readonly quanta: number;
  /** Extra two-instruction runs that left a SPARC delay slot. */
  readonly replays: number;
  readonly seconds: number;
}

export interface NativeGuest {
  readonly isa: IsaName;
  /** File holding the guest code, loaded at `load`. */
  readonly codePath: string;
  readonly load: number;
  readonly entry: number;
}

/** native-loop's quantum for one uncounted run to SYS_EXIT. */
export const UNCOUNTED = 0;

/**
 * Assembles a guest exactly as the image loader does a first program (at PROGRAM_BASE,
 * with the guest symbols) and writes its bytes where native-loop reads them.
 */
export function writeNativeGuest(toolchain: Toolchain, isa: IsaName, source: string, file: string): NativeGuest {
  const unit = toolchain.assembler.assemble(isa, source, { address: PROGRAM_BASE, file, symbols: guestSymbols() });
  const entry = unit.labels.get('main');
  if (entry === undefined) throw new Error(`${file} defines no main`);
  mkdirSync(BUILD_DIR, { recursive: true });
  const codePath = join(BUILD_DIR, `${file.replace(/\W+/g, '-')}.bin`);
  writeFileSync(codePath, unit.bytes);
  return { isa, codePath, load: PROGRAM_BASE, entry };
}

function installUnicornHeaders(): void {
  if (existsSync(UNICORN_HEADER)) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args: string[]) => {
    const [command, ...rest] = [...sudo, 'apt-get', ...args];
    execFileSync(command!, rest, { stdio: 'inherit' });
  };
  process.stdout.write('installing libunicorn-dev (apt-get) for the native baseline\n');
  apt('update', '-qq');
  apt('install', '-y', '-qq', 'libunicorn-dev');
}

/** Compiles `<name>.c` of this folder into the build folder; returns the binary's path. */
export function buildAgainstUnicorn(name: string): string {
  installUnicornHeaders();
  mkdirSync(BUILD_DIR, { recursive: true });
  const binary = join(BUILD_DIR, name);
  execFileSync('gcc', ['-O2', '-Wall', '-o', binary, join(HERE, `${name}.c`), '-lunicorn'], { stdio: 'inherit' });
  return binary;
}

export const buildNativeLoop = (): string => buildAgainstUnicorn('native-loop');

/** Runs the guest once per quantum, each to its SYS_EXIT; fails past `limit` instructions. */
export function runNativeLoop(binary: string, guest: NativeGuest, quanta: readonly number[], limit: number): NativeRun[] {
  const output = execFileSync(binary,
    [guest.isa, guest.codePath, hex(guest.load), hex(guest.entry), String(limit), ...quanta.map(String)],
    { encoding: 'utf8' });
  return output.trim().split('\n').map((line) => {
    const fields = new Map(line.split(' ').map((pair) => pair.split('=') as [string, string]));
    const number = (key: string) => {
      const value = Number(fields.get(key));
      if (!Number.isFinite(value)) throw new Error(`native-loop printed no ${key}: ${line}`);
      return value;
    };
    return { quantum: number('quantum'), quanta: number('quanta'), replays: number('replays'), seconds: number('seconds') };
  });
}
