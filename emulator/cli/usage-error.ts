/** A bad command-line option: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parsePositiveInteger(option: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${option}: expected a positive integer, got '${value}'`);
  }
  return Number(value);
}

export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--gdb: expected a TCP port (0-65535, 0 picks a free one), got '${value}'`);
  }
  return Number(value);
}

export function parseFileName(option: string, value: string): string {
  if (value === '') throw new UsageError(`${option}: expected a file name, got ''`);
  return value;
}
