import type { GuestCore, TrapOutcome } from '../guest-core.js';
import { readSyscall } from '../syscall-abi.js';
import type { SyscallServices } from './syscall.js';
import { syscallHandler } from './table.js';

/** Serves a syscall trap: decodes the ABI registers once and runs the number's handler. */
export function serveSyscall(core: GuestCore, services: SyscallServices): TrapOutcome {
  const request = readSyscall(core);
  const handler = syscallHandler(request.number);
  if (!handler) return { action: 'fault', reason: `unknown syscall ${request.number}` };
  return handler({ ...services, ...request, core });
}
