// Where a creation-time curve steps up: an increment over the point before of more than
// half the largest increment marks a new level of the creation tree (the smaller
// increments between levels are one more reply or one more child of a node).

/** The task counts (from the second) at which `series` (time per task count, in order) steps up. */
export function stepsAt(counts: readonly number[], series: readonly number[]): number[] {
  const increments = series.slice(1).map((value, i) => value - series[i]!);
  const largest = Math.max(...increments);
  return increments.flatMap((increment, i) => (increment > largest / 2 ? [counts[i + 1]!] : []));
}
