import type { TrapOutcome } from '../guest-core.js';
import { low32, type SyscallCall } from './syscall.js';

export function sysSleepNs(call: SyscallCall): TrapOutcome {
  return { action: 'sleep', ns: low32(call.arguments[0]) };
}
