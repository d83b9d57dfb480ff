// Output helpers shared by the benchmarks, so every table and summary line looks alike.

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells
    .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
    .join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The one line a benchmark ends with, for scripts to grep: `bench <name>: key=value ...`. */
export function summaryLine(name: string, values: Readonly<Record<string, number | string>>): string {
  const pairs = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  return `bench ${name}: ${pairs.join(' ')}`;
}

