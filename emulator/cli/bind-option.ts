import { Option } from 'commander';
import { INTENSITIES, isIntensity, type Intensity } from '../../linker/index.js';
import { UsageError } from './usage-error.js';

/** Parses repeated `--bind SYMBOL=intensity` options. */
export function parseBindOptions(values: readonly string[]): Map<string, Intensity> {
  const bindings = new Map<string, Intensity>();
  for (const value of values) {
    const match = /^([A-Za-z_.$][\w.$]*)=(\w+)$/.exec(value);
    if (!match) throw new UsageError(`--bind ${value}: expected SYMBOL=${INTENSITIES.join('|')}`);
    const [, symbol, intensity] = match as unknown as [string, string, string];
    if (!isIntensity(intensity)) {
      throw new UsageError(`--bind ${value}: '${intensity}' is not a binding intensity (${INTENSITIES.join(', ')})`);
    }
    bindings.set(symbol, intensity);
  }
  return bindings;
}

/** Commander's parser for a repeatable option: each value is added to the ones before. */
export function collectRepeated(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The repeatable `--bind` option of every command, its help naming the linker's intensities. */
export function bindOption(): Option {
  return new Option('--bind <symbol=intensity>', `bind SYMBOL ${INTENSITIES.join('|')} (repeatable)`)
    .default([])
    .argParser(collectRepeated);
}
