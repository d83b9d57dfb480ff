import { Option } from 'commander';
import type { NodeCrash } from '../machine/index.js';
import { collectRepeated } from './bind-option.js';
import { UsageError } from './usage-error.js';

/** Parses repeated `--crash NODE@NS`: the node fails (fail-stop) at NS of virtual time. */
export function parseCrashOptions(values: readonly string[]): NodeCrash[] {
  return values.map((value) => {
    const match = /^(\d+)@(\d+)$/.exec(value);
    const atNs = Number(match?.[2]);
    if (!match || atNs < 1 || !Number.isSafeInteger(atNs)) {
      throw new UsageError(`--crash ${value}: expected NODE@NS, a node number and a positive virtual time in ns, e.g. 1@5000000`);
    }
    return { node: Number(match[1]), atNs };
  });
}

/** `--crash NODE@NS`, repeatable. */
export function crashOption(): Option {
  return new Option('--crash <node@ns>', 'make NODE fail (fail-stop) at NS of virtual time; with checkpoints the cluster goes back to the last one before it (repeatable)')
    .default([])
    .argParser(collectRepeated);
}
