import { bootImage, type Cluster } from '../../../../emulator/index.js';
import { DebugSession } from '../../../../emulator/debugger/index.js';
import { GdbServer } from '../../../../emulator/debugger/gdb/server.js';

export interface Stub {
  readonly cluster: Cluster;
  readonly session: DebugSession;
  readonly server: GdbServer;
  /** The guest's console lines so far. */
  readonly console: string[];
  /** An address from the linker: a module's label as `module:label`, or an export. */
  address(node: number, symbol: string): number;
  stop(): Promise<void>;
}

/** Boots an image stopped at reset and serves it on a free port of 127.0.0.1. */
export async function startStub(image: string, options: { maxInstructions?: number; reconnect?: boolean } = {}): Promise<Stub> {
  const console: string[] = [];
  const maxInstructions = options.maxInstructions ?? 10_000_000;
  const cluster = await bootImage(image, { maxInstructions, console: (line) => console.push(line) });
  const session = new DebugSession(cluster, 1000);
  const server = await GdbServer.listen(session, 0, { reconnect: options.reconnect ?? false });
  return {
    cluster, session, server, console,
    address: (node, symbol) => session.resolveAddress(symbol, node),
    async stop() {
      await server.close();
      cluster.close();
    },
  };
}

export { hex } from '../../../support/index.js';
