import { GdbServer, type DebugSession } from '../debugger/index.js';
import { UsageError } from './usage-error.js';

/** Starts the gdb stub; a port that cannot be had (in use, privileged) is a bad option. */
export async function listenForGdb(session: DebugSession, port: number): Promise<GdbServer> {
  try {
    return await GdbServer.listen(session, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw new UsageError(`--gdb ${port}: cannot listen on 127.0.0.1:${port} (${code})`);
  }
}
