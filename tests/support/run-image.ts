import { bootImage, type CoreSummary } from '../../emulator/index.js';

export interface ImageRun {
  readonly console: string[];
  readonly cores: CoreSummary[];
  readonly trace: string[];
}

/** Boots an image in this process and runs it to the end. */
export async function runImage(path: string, options: { quantum?: number; maxInstructions?: number; trace?: boolean } = {}): Promise<ImageRun> {
  const console: string[] = [];
  const trace: string[] = [];
  const cluster = await bootImage(path, {
    maxInstructions: options.maxInstructions ?? 1e9,
    console: (line) => console.push(line),
    ...(options.trace ? { trace: (node: number, core: number, pc: number) => trace.push(`n${node}.c${core} ${pc.toString(16)}`) } : {}),
  });
  try {
    const cores = cluster.run({ quantum: options.quantum ?? 10_000 });
    return { console, cores, trace };
  } finally {
    cluster.close();
  }
}

export function core(run: ImageRun, node: number, coreId: number): CoreSummary {
  const found = run.cores.find((c) => c.node === node && c.core === coreId);
  if (!found) throw new Error(`no core n${node}.c${coreId}`);
  return found;
}
