import { GdbServer, type DebugSession } from '../debugger/index.js';
import { UsageError } from './usage-error.js';

/**
 * Starts the gdb stub; a port that cannot be had (in use, privileged) is a bad option.
 * With `reconnect` it serves one client after another until every core has finished.
 */
export async function listenForGdb(session: DebugSession, port: number, reconnect = false): Promise<GdbServer> {
  try {
    return await GdbServer.listen(session, port, { reconnect });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw new UsageError(`--gdb ${port}: cannot listen on 127.0.0.1:${port} (${code})`);
  }
}
