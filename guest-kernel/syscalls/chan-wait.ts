import type { TrapOutcome } from '../guest-core.js';
import { low32, needsChannels, type SyscallCall } from './syscall.js';

export function sysChanWait(call: SyscallCall): TrapOutcome {
  return needsChannels(call, (channels) => channels.wait(call.core, low32(call.arguments[0])));
}
