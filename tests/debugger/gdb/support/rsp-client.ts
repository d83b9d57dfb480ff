import { connect, type Socket } from 'node:net';
import { frame, PacketReader, type WireEvent } from '../../../../emulator/debugger/gdb/packet-reader.js';

/** A bare remote-protocol client: what the stub sends, event by event. */
export class RspClient {
  private readonly reader = new PacketReader(1 << 20);
  private readonly events: WireEvent[] = [];
  private wake: (() => void) | undefined;
  private acks = true;
  closed = false;

  private constructor(private readonly socket: Socket) {
    // As gdb does: an ack and the next packet must not wait for each other (Nagle).
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const event of this.reader.feed(chunk)) this.events.push(event);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RspClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Raw bytes, framed or not. */
  write(data: string): void {
    this.socket.write(Buffer.from(data, 'latin1'));
  }

  /** The next event; rejects when none comes within the timeout. */
  async next(timeoutMs = 5000): Promise<WireEvent> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no reply');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.events.shift()!;
  }

  /** The next packet's body, acking it; acks from the stub before it are checked and skipped. */
  async reply(timeoutMs?: number): Promise<string> {
    for (;;) {
      const event = await this.next(timeoutMs);
      if (event.kind === 'ack') continue;
      if (event.kind !== 'packet') throw new Error(`expected a packet, got ${event.kind}`);
      if (this.acks) this.write('+');
      return event.body;
    }
  }

  /** Sends a packet and returns the reply. */
  async request(body: string, timeoutMs?: number): Promise<string> {
    this.write(frame(body));
    return this.reply(timeoutMs);
  }

  noAcks(): void {
    this.acks = false;
  }

  close(): void {
    this.socket.destroy();
  }
}
