// `boot` benchmark: wall time to boot images up to the first guest instruction, and
// guest MIPS of the TypeScript scheduler against libunicorn driven from C.
import type { IsaName } from '../../../isa/index.js';
import { summaryLine } from '../format.js';
import { CLUSTER_IMAGE, DEFAULT_IMAGE, measureBoot, timeToolchainLoad, type BootTiming } from './boot-time.js';
import { measureMips } from './mips.js';
import { bareEngineMiB, measureScale, type ScaleRow } from './scale.js';
import {
  mipsFigures, printBoot, printMips, printScale, type BareEngine, quantumCosts, quantumKey, TARGET_QUANTUM, type MipsFigures,
  type QuantumCost,
} from './report.js';

const ISA_KEYS: Readonly<Record<IsaName, string>> = {
  'x86-32': 'x86', sparc32: 'sparc', 'x86-64': 'x86_64', sparc64: 'sparc64',
};

function summary(toolchainMs: number, defaultBoot: BootTiming, clusterBoot: BootTiming,
                 figures: readonly MipsFigures[], costs: readonly QuantumCost[], scale: readonly ScaleRow[],
                 bare: BareEngine): string {
  const values: Record<string, string> = {
    mib_per_bare_engine: bare.mib.toFixed(2), mib_per_bare_engine_huge_pages: bare.hugePagesMiB.toFixed(2),
  };
  for (const row of scale) {
    values[`boot_ms_${row.cores}cores`] = row.bootMs?.toFixed(0) ?? 'refused';
    values[`mib_per_core_${row.cores}cores`] = row.rssMiB === undefined ? 'refused' : (row.rssMiB / row.cores).toFixed(2);
  }
  const target = quantumKey(TARGET_QUANTUM);
  for (const row of figures.filter((r) => r.quantum === TARGET_QUANTUM)) {
    values[`mips_ts_${target}_${ISA_KEYS[row.isa]}`] = row.tsMips.toFixed(1);
    values[`mips_c_${target}_${ISA_KEYS[row.isa]}`] = row.cMips.toFixed(1);
  }
  for (const row of figures) values[`ratio_${quantumKey(row.quantum)}_${ISA_KEYS[row.isa]}`] = row.ratio.toFixed(3);
  for (const row of figures.filter((r) => r.quantum === TARGET_QUANTUM)) {
    values[`ratio_median_${target}_${ISA_KEYS[row.isa]}`] = row.medianRatio.toFixed(3);
    values[`ceiling_ratio_${target}_${ISA_KEYS[row.isa]}`] = row.ceilingRatio.toFixed(3);
  }
  for (const cost of costs) values[`extra_us_per_quantum_${ISA_KEYS[cost.isa]}`] = (cost.tsUs - cost.cUs).toFixed(2);
  return summaryLine('boot', {
    ...values,
    toolchain_ms: toolchainMs.toFixed(0),
    boot_default_ms: defaultBoot.medianMs.toFixed(1),
    boot_default_first_ms: defaultBoot.firstMs.toFixed(1),
    boot_64cores_ms: clusterBoot.medianMs.toFixed(1),
    boot_64cores_first_ms: clusterBoot.firstMs.toFixed(1),
    boot_ms_per_core: (clusterBoot.medianMs / clusterBoot.cores).toFixed(2),
  });
}

export async function run(): Promise<void> {
  // Boots first, so the default image's first boot is a cold one, as `clustervm boot` sees it.
  const { toolchain, ms: toolchainMs } = await timeToolchainLoad();
  const defaultBoot = await measureBoot(DEFAULT_IMAGE, toolchain);
  const clusterBoot = await measureBoot(CLUSTER_IMAGE, toolchain);
  printBoot(toolchainMs, [defaultBoot, clusterBoot]);
  const scale = measureScale();
  const bare = { mib: bareEngineMiB(scale[0]!.cores, false), hugePagesMiB: bareEngineMiB(scale[0]!.cores, true) };
  printScale(scale, bare);
  const results = measureMips(toolchain);
  const figures = mipsFigures(results);
  const costs = quantumCosts(results);
  printMips(figures, costs);
  process.stdout.write(`${summary(toolchainMs, defaultBoot, clusterBoot, figures, costs, scale, bare)}\n`);
}
