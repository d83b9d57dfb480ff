import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsaName } from '../../isa/index.js';
import type { CodeRange } from '../link-memory.js';
import type { Assembler } from '../toolchain/assembler.js';
import { linkTraps, tableSymbols } from './mediator-abi.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The mediator's guest code, assembled for one node layout. */
export interface Mediator {
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Where weak stubs jump. */
  readonly entry: number;
  /** Where fail-safe stubs jump. */
  readonly failsafeEntry: number;
  /** Parts that read the table after counting: restarted when the table changes under them. */
  readonly restart: readonly CodeRange[];
  /** The count's read-modify-write: a core preempted inside it starts it again. */
  readonly preemptionRestart: readonly CodeRange[];
}

/** sparc32 and sparc64 share one source: it uses only instructions both have, and no `save`. */
const MEDIATOR_SOURCES: Readonly<Record<IsaName, string>> = {
  'x86-32': 'x86-32.s',
  'x86-64': 'x86-64.s',
  sparc32: 'sparc.s',
  sparc64: 'sparc.s',
};

export function mediatorSourcePath(isa: IsaName): string {
  return join(here, MEDIATOR_SOURCES[isa]);
}

/** Assembles the mediator at `address` for a linkage table at `table` (keystone, at load time only). */
export function buildMediator(assembler: Assembler, isa: IsaName, address: number, table: number): Mediator {
  const path = mediatorSourcePath(isa);
  const traps = linkTraps(isa);
  const unit = assembler.assemble(isa, readFileSync(path, 'utf8'), {
    address,
    file: path,
    symbols: new Map([...tableSymbols(table), ['LINK_RESOLVE_TRAP', traps.resolve], ['LINK_REFUSE_TRAP', traps.refuse]]),
  });
  const label = (name: string) => {
    const value = unit.labels.get(name);
    if (value === undefined) throw new Error(`${path}: no label ${name}`);
    return value;
  };
  const range = (from: string, to: string) => ({ address: label(from), length: label(to) - label(from) });
  return {
    address,
    bytes: unit.bytes,
    entry: label('mediator'),
    failsafeEntry: label('failsafe'),
    restart: [range('mediator_lookup', 'mediator_refuse'), range('failsafe_lookup', 'mediator_end')],
    preemptionRestart: [range('mediator_count', 'mediator_lookup')],
  };
}
