// How large a cluster one host boots: boot time and resident memory per core for N nodes
// of 4 cores, the four ISAs in equal shares, up to the engine ceiling and one past it
// (which the loader refuses before any engine opens). Each size boots in a child
// process, so one size's memory is not another's.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISA_NAMES } from '../../../isa/index.js';
import { REPO_ROOT, TempDir } from '../../support/index.js';
import { buildAgainstUnicorn } from './native.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCALE_RUN = join(HERE, 'scale-run.ts');
const CORES_PER_NODE = 4;
/** Node RAM per node: the smallest an image may ask for, so engines dominate the figures. */
export const SCALE_RAM_MIB = 2;
/** 64 x 4; 1,024 x 4; 2,048 x 4, the engine ceiling (MAX_ENGINES, 8,192 cores); 2,052 x 4, past it. */
const SCALE_NODES: readonly number[] = [64, 1024, 2048, 2052];

export interface ScaleRow {
  readonly nodes: number;
  readonly cores: number;
  /** Absent when the loader refused the image. */
  readonly bootMs?: number;
  readonly rssMiB?: number;
  readonly refused?: string;
}

/** The most nodes one group of an image may count (the image schema's limit). */
const GROUP_COUNT = 256;

function writeScaleImage(dir: TempDir, nodes: number): string {
  const perIsa = nodes / ISA_NAMES.length;
  const groups = Array.from({ length: Math.ceil(perIsa / GROUP_COUNT) }, (_, i) => Math.min(GROUP_COUNT, perIsa - i * GROUP_COUNT));
  return dir.writeImage(`scale-${nodes}`, {
    nodes: ISA_NAMES.flatMap((isa) => groups.map((count) => ({
      isa, cores: CORES_PER_NODE, count, ramMiB: SCALE_RAM_MIB, programs: [{ file: join(REPO_ROOT, 'images', 'programs', `hello-${isa}.s`) }],
    }))),
  });
}

/** What libunicorn alone keeps resident per engine, opened from C (engine-memory.c). */
export function bareEngineMiB(engines: number, hugePages: boolean): number {
  const output = execFileSync(buildAgainstUnicorn('engine-memory'), [String(engines), hugePages ? 'huge-pages' : 'no-huge-pages'], { encoding: 'utf8' });
  const match = /mib_per_engine=([\d.]+)/.exec(output);
  if (!match) throw new Error(`engine-memory printed no figure: ${output}`);
  return Number(match[1]);
}

export function measureScale(): ScaleRow[] {
  const dir = new TempDir('clustervm-bench-scale');
  try {
    return SCALE_NODES.map((nodes) => {
      const output = execFileSync(process.execPath, [...process.execArgv, SCALE_RUN, writeScaleImage(dir, nodes)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      return { nodes, cores: nodes * CORES_PER_NODE, ...(JSON.parse(output) as Omit<ScaleRow, 'nodes' | 'cores'>) };
    });
  } finally {
    dir.cleanup();
  }
}
