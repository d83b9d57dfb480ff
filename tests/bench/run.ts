// Benchmark runner: `npx tsx tests/bench/run.ts [name]` runs every benchmark, or only
// the named one. A benchmark is a folder here with an index.ts exporting
// `run(): Promise<void>`; it prints its tables and ends with one `bench <name>: ...` line.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Benchmark {
  run(): Promise<void>;
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

function benchmarkNames(): string[] {
  return readdirSync(BENCH_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(BENCH_DIR, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

function usageError(message: string): never {
  process.stderr.write(`run.ts: ${message}\nusage: npx tsx tests/bench/run.ts [name]\n`);
  process.exit(2);
}

async function main(args: readonly string[]): Promise<number> {
  const available = benchmarkNames();
  if (args.length > 1) usageError(`expected at most one benchmark name, got ${args.length}`);
  const wanted = args[0];
  if (wanted !== undefined && !available.includes(wanted)) {
    usageError(`unknown benchmark '${wanted}' (available: ${available.join(', ')})`);
  }
  let failed = 0;
  for (const name of wanted === undefined ? available : [wanted]) {
    process.stdout.write(`== ${name} ==\n`);
    try {
      const bench = await import(pathToFileURL(join(BENCH_DIR, name, 'index.ts')).href) as Benchmark;
      await bench.run();
    } catch (error) {
      // One broken benchmark should not hide the others' numbers.
      process.stderr.write(`bench ${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
