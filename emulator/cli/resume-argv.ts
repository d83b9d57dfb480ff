import { lastCheckpoint } from '../snapshot/index.js';

/** The value of `--name VALUE` or `--name=VALUE` in a command line, the last one given. */
function optionValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg === name) value = args[i + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  });
  return value;
}

/**
 * The command line the supervisor re-runs a crashed `boot` with: when the run kept
 * checkpoints, it goes on from the last one it wrote instead of from reset, and every
 * re-run (locating the crash, then finishing) starts from that same one.
 */
export function resumeFromLastCheckpoint(argv: readonly string[]): string[] {
  const dir = optionValue(argv, '--checkpoint-dir');
  const file = dir === undefined ? undefined : lastCheckpoint(dir);
  return file === undefined ? [...argv] : [...argv, '--resume-checkpoint', file];
}
