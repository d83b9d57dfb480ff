import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Assembler } from '../linker/index.js';
import type { IsaName } from '../isa/index.js';

// Boot code per ISA, assembled at load time. Assembly is cached on disk by a hash of
// the source, its address and its symbols, so a boot only pays keystone once.

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, '..', 'node_modules', '.cache', 'clustervm-firmware');
/** Bump when the assembler's output for the same source can change. */
const CACHE_FORMAT = 3;

export interface Firmware {
  readonly bytes: Uint8Array;
  readonly entry: number;
  /** Where a task's first thread starts (see the `.s` files' `_task_start`). */
  readonly taskEntry: number;
}

function firmwareSourcePath(isa: IsaName): string {
  return join(here, `${isa}.s`);
}

export function buildFirmware(assembler: Assembler, isa: IsaName, address: number,
                              symbols: ReadonlyMap<string, number>): Firmware {
  const path = firmwareSourcePath(isa);
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha256')
    .update(`${CACHE_FORMAT}\n${isa}\n${address}\n${[...symbols].join(',')}\n${source}`)
    .digest('hex').slice(0, 24);
  const cached = join(cacheDir, `${isa}-${key}.json`);
  try {
    const hit = JSON.parse(readFileSync(cached, 'utf8')) as { bytes: string; entry: number; taskEntry: number };
    return { bytes: Buffer.from(hit.bytes, 'hex'), entry: hit.entry, taskEntry: hit.taskEntry };
  } catch {
    // Not cached yet (or unreadable): assemble below.
  }
  const unit = assembler.assemble(isa, source, { address, file: path, symbols });
  const entry = unit.labels.get('_start');
  const taskEntry = unit.labels.get('_task_start');
  if (entry === undefined || taskEntry === undefined) throw new Error(`${path}: no _start or _task_start label`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cached, JSON.stringify({ bytes: Buffer.from(unit.bytes).toString('hex'), entry, taskEntry }));
  } catch {
    // A read-only checkout still boots; it only assembles every time.
  }
  return { bytes: unit.bytes, entry, taskEntry };
}
