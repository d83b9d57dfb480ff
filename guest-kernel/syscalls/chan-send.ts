import type { TrapOutcome } from '../guest-core.js';
import { low32, needsChannels, returns, type SyscallCall } from './syscall.js';

/** SYS_CHAN_SEND between nodes: 1 when the message left, 0 when the window is full. */
export function sysChanSend(call: SyscallCall): TrapOutcome {
  return needsChannels(call, (channels) => {
    const [id, payload] = call.arguments;
    const sent = channels.send(call.core, low32(id), low32(payload));
    return sent.outcome ?? returns(call, BigInt(sent.result));
  });
}
