import { engine, layout, NEXT_PC, NONE, PC, type FeatureSpec, type RegisterSpec, type TargetLayout } from './layout.js';

// gdb's sparc features (sparc32-*.xml, sparc64-*.xml) in gdb's register order: the
// window registers 0-31, the FPU from 32, then the control registers (sparc32 64-71:
// y psr wim tbr pc npc fsr csr; sparc64 80-85: pc npc state fsr fprs y). Unicorn gives
// the current window, y and pc; the FPU and the state registers read as unavailable.

const WINDOW_NAMES = ['g', 'o', 'l', 'i'].flatMap((bank) => Array.from({ length: 8 }, (_, i) => `${bank}${i}`));

/** gdb calls %o6 and %i6 by their roles. */
const GDB_NAMES: Readonly<Record<string, string>> = { o6: 'sp', i6: 'fp' };

function cpu(bits: number): FeatureSpec {
  const registers = WINDOW_NAMES.map((name): RegisterSpec =>
    ({ name: GDB_NAMES[name] ?? name, bits, type: `uint${bits}`, source: engine(name) }));
  return { name: 'org.gnu.gdb.sparc.cpu', types: '', registers };
}

function unavailable(name: string, bits: number, type = `uint${bits}`): RegisterSpec {
  return { name, bits, type, source: NONE };
}

const SINGLES = Array.from({ length: 32 }, (_, i) => unavailable(`f${i}`, 32, 'ieee_single'));
const DOUBLES = Array.from({ length: 16 }, (_, i) => unavailable(`f${32 + 2 * i}`, 64, 'ieee_double'));

export const SPARC32_LAYOUT: TargetLayout = layout('sparc32', 'sparc', [
  cpu(32),
  { name: 'org.gnu.gdb.sparc.fpu', types: '', registers: SINGLES },
  {
    name: 'org.gnu.gdb.sparc.cp0', types: '', registers: [
      { name: 'y', bits: 32, type: 'uint32', source: engine('y') },
      unavailable('psr', 32), unavailable('wim', 32), unavailable('tbr', 32),
      { name: 'pc', bits: 32, type: 'code_ptr', source: PC },
      { name: 'npc', bits: 32, type: 'code_ptr', source: NEXT_PC },
      unavailable('fsr', 32), unavailable('csr', 32),
    ],
  },
]);

export const SPARC64_LAYOUT: TargetLayout = layout('sparc64', 'sparc:v9', [
  cpu(64),
  { name: 'org.gnu.gdb.sparc.fpu', types: '', registers: [...SINGLES, ...DOUBLES] },
  {
    name: 'org.gnu.gdb.sparc.cp0', types: '', registers: [
      { name: 'pc', bits: 64, type: 'code_ptr', source: PC },
      { name: 'npc', bits: 64, type: 'code_ptr', source: NEXT_PC },
      unavailable('state', 64), unavailable('fsr', 64), unavailable('fprs', 64),
      { name: 'y', bits: 64, type: 'uint64', source: engine('y') },
    ],
  },
]);
