/** Receives finished console lines, already prefixed `n<node>.c<core>`. */
export type ConsoleSink = (line: string) => void;

/** A node's console: bytes from each core are cut into lines and prefixed. */
export class NodeConsole {
  private readonly partial = new Map<number, string>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly nodeId: number, private readonly sink: ConsoleSink) {}

  write(coreId: number, bytes: Uint8Array): void {
    const text = (this.partial.get(coreId) ?? '') + this.decoder.decode(bytes);
    const lines = text.split('\n');
    this.partial.set(coreId, lines.pop() ?? '');
    for (const line of lines) this.sink(`n${this.nodeId}.c${coreId} ${line}`);
  }

  /** Emits unfinished lines, as a terminal would show them at exit. */
  flush(): void {
    for (const [coreId, text] of this.partial) {
      if (text !== '') this.sink(`n${this.nodeId}.c${coreId} ${text}`);
    }
    this.partial.clear();
  }
}
