import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { DebugSession } from '../session.js';
import { GdbConnection } from './connection.js';

/**
 * A GDB remote serial protocol stub over a debug session, on 127.0.0.1 only. It serves
 * one client at a time. Once that client detaches, kills or disconnects, the server
 * stops listening and `closed` resolves (or on close()); with `reconnect`, it waits for
 * the next client instead, until every core has finished.
 */
export class GdbServer {
  readonly port: number;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private connection: GdbConnection | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly session: DebugSession, private readonly server: Server, private readonly reconnect: boolean) {
    this.port = (server.address() as AddressInfo).port;
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Bytes of replies the client has not taken yet (0 without a client). */
  get unsentReplyBytes(): number {
    return this.connection?.unsentReplyBytes ?? 0;
  }

  /** Whether the stub stopped reading its client's requests until the client catches up. */
  get readingPaused(): boolean {
    return this.connection?.readingPaused ?? false;
  }

  /** Listens on `port` (0: any free port; `port` then tells which). */
  static listen(session: DebugSession, port: number, options: { reconnect?: boolean } = {}): Promise<GdbServer> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(new GdbServer(session, server, options.reconnect ?? false));
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.connection || this.closing) {
      socket.destroy();
      return;
    }
    this.connection = new GdbConnection(this.session, socket, () => {
      this.connection = undefined;
      const finished = this.session.cluster.cores.every((core) => !core.isRunnable && core.status !== 'sleeping');
      if (!this.reconnect || finished) void this.close();
    });
  }

  /** Stops listening and ends the client's session; resolves `closed`. */
  close(): Promise<void> {
    if (!this.closing) {
      // Set before ending the connection, whose end calls back here.
      this.closing = new Promise<void>((resolve) => this.server.close(() => resolve())).then(() => this.resolveClosed());
      this.connection?.end();
    }
    return this.closing;
  }
}
