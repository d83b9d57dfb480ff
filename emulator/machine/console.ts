export type ConsoleState = readonly { readonly core: number; readonly kept: Uint8Array; readonly cutBytes: number }[];

/** Receives finished console lines, already prefixed `n<node>.c<core>`. */
export type ConsoleSink = (line: string) => void;

/**
 * The longest line a core's console keeps. A guest that writes without newlines would
 * otherwise make the host hold (and re-scan) an ever longer line; beyond this the line's
 * bytes are counted, not kept, and a note after the line says how many were cut.
 */
export const CONSOLE_LINE_LIMIT_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/** The unfinished line of one core: kept bytes (at most the limit) and the count cut. */
class PendingLine {
  private chunks: Uint8Array[] = [];
  private keptBytes = 0;
  cutBytes = 0;

  get isEmpty(): boolean {
    return this.keptBytes === 0 && this.cutBytes === 0;
  }

  append(bytes: Uint8Array): void {
    const room = CONSOLE_LINE_LIMIT_BYTES - this.keptBytes;
    const kept = Math.min(room, bytes.length);
    // A copy: the bytes may be a view of guest RAM the guest rewrites before the newline.
    if (kept > 0) this.chunks.push(Uint8Array.from(bytes.subarray(0, kept)));
    this.keptBytes += kept;
    this.cutBytes += bytes.length - kept;
  }

  /** What a snapshot keeps of the unfinished line. */
  saveState(): { readonly kept: Uint8Array; readonly cutBytes: number } {
    return { kept: Uint8Array.from(Buffer.concat(this.chunks)), cutBytes: this.cutBytes };
  }

  static fromState(state: { readonly kept: Uint8Array; readonly cutBytes: number }): PendingLine {
    const line = new PendingLine();
    line.append(state.kept);
    line.cutBytes = state.cutBytes;
    return line;
  }

  take(): { text: string; cutBytes: number } {
    const text = Buffer.concat(this.chunks).toString('utf8');
    const taken = { text, cutBytes: this.cutBytes };
    this.chunks = [];
    this.keptBytes = 0;
    this.cutBytes = 0;
    return taken;
  }
}

/**
 * A node's console: bytes from each core are cut into lines and prefixed. Work per write
 * is linear in the bytes written, whatever the line length.
 */
export class NodeConsole {
  private readonly pending = new Map<number, PendingLine>();

  constructor(private readonly nodeId: number, private readonly sink: ConsoleSink) {}

  write(coreId: number, bytes: Uint8Array): void {
    let line = this.pending.get(coreId);
    if (!line) this.pending.set(coreId, (line = new PendingLine()));
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline >= 0; newline = bytes.indexOf(NEWLINE, start)) {
      line.append(bytes.subarray(start, newline));
      this.emit(coreId, line);
      start = newline + 1;
    }
    line.append(bytes.subarray(start));
  }

  private emit(coreId: number, line: PendingLine): void {
    const { text, cutBytes } = line.take();
    const prefix = `n${this.nodeId}.c${coreId}`;
    this.sink(`${prefix} ${text}`);
    if (cutBytes > 0) {
      this.sink(`${prefix} [console: ${cutBytes} more bytes of this line cut; a line keeps at most ${CONSOLE_LINE_LIMIT_BYTES} bytes]`);
    }
  }

  /** Each core's unfinished line, which a restored run goes on writing. */
  saveState(): ConsoleState {
    return [...this.pending].filter(([, line]) => !line.isEmpty).map(([core, line]) => ({ core, ...line.saveState() }));
  }

  loadState(state: ConsoleState): void {
    this.pending.clear();
    for (const { core, ...line } of state) this.pending.set(core, PendingLine.fromState(line));
  }

  /** Emits unfinished lines, as a terminal would show them at exit. */
  flush(): void {
    for (const [coreId, line] of this.pending) {
      if (!line.isEmpty) this.emit(coreId, line);
    }
    this.pending.clear();
  }
}
