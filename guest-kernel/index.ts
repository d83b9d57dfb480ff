export type { GuestCore, MemoryAccess, MemoryFault, TrapOutcome, TrapResult } from './guest-core.js';
export { Kernel } from './kernel.js';
export {
  Agreement, BindingReplica, CORE_MESSAGE_NS, type AgreementOutcome, type BindingChange,
} from './agreement/two-phase-commit.js';
export type { KernelHost, KernelMessage } from './kernel-host.js';
export type { KernelEvent, KernelEventSink } from './kernel-events.js';
export { heapStart, type DsmConfig } from './dsm/dsm-config.js';
export type { Dsm, OpenTransaction } from './dsm/dsm.js';
export type { NodeCounters, PageCounters } from './dsm/dsm-stats.js';
export { Channels, type ChannelLayout, type ChannelSpec, type Endpoint } from './channels/channels.js';
export type { ChannelStats } from './channels/channel-stats.js';
export {
  CHANNEL_FLAGS, CHANNEL_TABLE_BYTES, MAX_CHANNELS, PAYLOAD_BYTES, ringBytes,
} from './channels/ring-format.js';
export { POLICY_EPOCH_NS, type LinkPolicy, type NodeLoad } from './link-policy.js';
export { LINK_RESOLVE_CYCLES } from './link-service.js';
export { SPARC_SYSCALL_TRAP, SYSCALL_ABIS, trapVector } from './syscall-abi.js';
export { SYSCALL_CYCLES, SYSCALLS } from './syscalls.js';
export { MAX_WRITE_BYTES } from './console-write.js';
