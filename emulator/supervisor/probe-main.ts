// A throwaway process that translates candidate code, one candidate per fresh engine,
// and prints one line per candidate that did not kill it. It is expected to die.
import { writeSync } from 'node:fs';
import { Engine, UC_PROT_ALL } from '../engine/index.js';
import { ISAS, type IsaFamily } from '../../isa/index.js';
import type { ProbeRequest } from './probe.js';

const BASE = 0x10000;
const PAGE = 0x10000;

/** Code around a candidate that ends no block of its own: each family's nop. */
const NOP: Readonly<Record<IsaFamily, Buffer>> = { x86: Buffer.from([0x90]), sparc: Buffer.from('01000000', 'hex') };

const request = JSON.parse(process.argv[2]!) as ProbeRequest;
const filler = NOP[ISAS[request.isa].family];
for (const candidate of request.candidates) {
  const engine = Engine.open(request.isa);
  try {
    engine.mapMemory(BASE, PAGE, UC_PROT_ALL);
    const code = Buffer.alloc(256);
    for (let at = 0; at < code.length; at += filler.length) filler.copy(code, at);
    Buffer.from(candidate, 'hex').copy(code, 0);
    engine.writeMemory(BASE, code);
    // Translating is enough, and Unicorn translates a block before its hook runs: a
    // budget of 0 stops at that hook, before the block's first instruction.
    engine.run(BASE, { budget: 0 });
  } finally {
    engine.close();
  }
  writeSync(1, 'ok\n');
}
