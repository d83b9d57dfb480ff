// Benchmarks' figures as SVG plots next to their tables: with BENCH_PLOTS=DIR (`make
// bench PLOTS=DIR`) each plot goes to DIR/<bench>-<figure>.svg and its path is printed
// under the table; without it nothing is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function writePlot(bench: string, figure: string, svg: string): void {
  const dir = process.env.BENCH_PLOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const path = resolve(join(dir, `${bench}-${figure}.svg`));
  writeFileSync(path, svg);
  process.stdout.write(`plot: ${path}\n`);
}
