/** A timed event; `seq` breaks ties so equal times keep their insertion order. */
export interface TimedEvent<T> {
  readonly timeNs: number;
  readonly seq: number;
  readonly payload: T;
}

/** The global event queue: a binary min-heap ordered by (time, insertion order). */
export class EventQueue<T> {
  private readonly heap: TimedEvent<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The events in heap order with their tie-breaking numbers, as `encode` turns each payload to data. */
  saveState<U>(encode: (payload: T) => U): { readonly nextSeq: number; readonly events: readonly TimedEvent<U>[] } {
    return { nextSeq: this.nextSeq, events: this.heap.map((event) => ({ ...event, payload: encode(event.payload) })) };
  }

  loadState<U>(state: { readonly nextSeq: number; readonly events: readonly TimedEvent<U>[] }, decode: (payload: U) => T): void {
    this.heap.length = 0;
    for (const event of state.events) this.heap.push({ ...event, payload: decode(event.payload) });
    this.nextSeq = state.nextSeq;
  }

  push(timeNs: number, payload: T): void {
    this.heap.push({ timeNs, seq: this.nextSeq++, payload });
    this.siftUp(this.heap.length - 1);
  }

  peekTime(): number | undefined {
    return this.heap[0]?.timeNs;
  }

  pop(): TimedEvent<T> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top && last && this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private before(a: TimedEvent<T>, b: TimedEvent<T>): boolean {
    return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index]!, heap[parent]!)) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
