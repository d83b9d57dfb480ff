import type { TrapOutcome } from '../guest-core.js';
import type { SyscallCall } from './syscall.js';

/**
 * SYS_EXIT; a core that still has a transaction open would lose its writes, so it faults
 * instead. In a spawned task it ends the task, with the status as its exit value.
 */
export function sysExit(call: SyscallCall): TrapOutcome {
  const uncommitted = call.dsm?.uncommittedPages(call.core);
  if (uncommitted !== undefined) {
    const pages = `${uncommitted} DSM page${uncommitted === 1 ? '' : 's'}`;
    return { action: 'fault', reason: `exit inside a transaction: its writes (${pages}) were not committed (SYS_TX_BEGIN without SYS_TX_COMMIT)` };
  }
  const status = Number(BigInt.asIntN(32, call.arguments[0]));
  if (call.tasking?.tasks.runsSpawnedTask(call.core)) return call.tasking.tasks.exit(call.core, BigInt(status));
  return { action: 'exit', status };
}
