import koffi from 'koffi';
import { UC_ARCH_X86, UC_MODE_32, UC_PROT_ALL } from './constants.js';
import { loadUnicorn } from './native.js';

// Unicorn counts the instructions of a `uc_emu_start(count=N)` run in a private field,
// `uc_struct.emu_counter`, just before `emu_count`, and does not expose it. A quantum that ends
// early (a trap that blocks, an exit, a fault) needs that number for the virtual clock,
// so the field's offset is found once per process: run a known number of instructions
// with a distinctive count and look for the pair (count, counter) in the engine struct.

const PROBE_COUNT = 0x5eed_c0de;
const PROBE_INSTRUCTIONS = 7;
const SCAN_BYTES = 4096;

let counterOffset: number | undefined;

function locateCounter(): number {
  const uc = loadUnicorn();
  const handle = [null as unknown];
  if (uc.open(UC_ARCH_X86, UC_MODE_32, handle) !== 0) throw new Error('cannot open an x86 engine to calibrate the instruction counter');
  const engine = handle[0];
  try {
    const base = 0x10000;
    const nops = Buffer.alloc(PROBE_INSTRUCTIONS, 0x90);
    uc.memMap(engine, base, 0x1000, UC_PROT_ALL);
    uc.memWrite(engine, base, nops, nops.length);
    uc.emuStart(engine, base, base + PROBE_INSTRUCTIONS, 0, PROBE_COUNT);
    const struct = new DataView(koffi.view(engine, SCAN_BYTES));
    for (let offset = 8; offset + 8 <= SCAN_BYTES; offset += 8) {
      if (struct.getBigUint64(offset, true) === BigInt(PROBE_COUNT) &&
          struct.getBigUint64(offset - 8, true) === BigInt(PROBE_INSTRUCTIONS)) {
        return offset - 8;
      }
    }
    throw new Error('this libunicorn build keeps its instruction counter where clustervm cannot find it');
  } finally {
    uc.close(engine);
  }
}

/** Offset of `emu_counter` inside Unicorn's engine struct. */
export function instructionCounterOffset(): number {
  counterOffset ??= locateCounter();
  return counterOffset;
}
