/**
 * Points of virtual time where the kernel acts on a node (a policy's epoch, a re-link's
 * decision): the scheduler holds each of the node's cores at the first instruction
 * boundary at or past the earliest point, and the kernel acts once every runnable core
 * got there, before any runs past it. So what the kernel sees and does depends on the
 * cores' states at that time only, never on the quantum.
 */
export class HoldPoints {
  private readonly points = new Map<number, number[]>();

  add(node: number, atNs: number): void {
    const list = this.points.get(node) ?? [];
    list.push(atNs);
    list.sort((a, b) => a - b);
    this.points.set(node, list);
  }

  remove(node: number, atNs: number): void {
    const list = this.points.get(node);
    const index = list?.indexOf(atNs) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }

  saveState(): [number, number[]][] {
    return [...this.points].map(([node, list]) => [node, [...list]]);
  }

  loadState(state: readonly (readonly [number, readonly number[]])[]): void {
    this.points.clear();
    for (const [node, list] of state) this.points.set(node, [...list]);
  }

  /** The earliest point still ahead for the node. */
  next(node: number): number | undefined {
    return this.points.get(node)?.[0];
  }
}
