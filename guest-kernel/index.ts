export type { CoreDsmMemory, GuestCore, MemoryFault, TrapOutcome } from './guest-core.js';
export { Kernel, KernelStateError, type KernelState } from './kernel.js';
export { CORE_MESSAGE_NS, type AgreementOutcome } from './agreement/two-phase-commit.js';
export type { KernelMessage } from './kernel-host.js';
export type { KernelEvent } from './kernel-events.js';
export type { KernelTimer } from './kernel-timers.js';
export { heapStart, type DsmConfig } from './dsm/dsm-config.js';
export type { Dsm } from './dsm/dsm.js';
export type { NodeCounters, PageCounters } from './dsm/dsm-stats.js';
export { Channels, type ChannelLayout, type ChannelSpec, type WatchedRing } from './channels/channels.js';
export {
  CHANNEL_FLAGS, CHANNEL_TABLE_BYTES, MAX_CHANNELS, PAYLOAD_BYTES, ringBytes,
} from './channels/ring-format.js';
export { POLICY_EPOCH_NS, type LinkPolicy } from './link-policy.js';
export { LINK_RESOLVE_CYCLES } from './link-service.js';
export { SYSCALL_CYCLES, SYSCALLS } from './syscalls/numbers.js';
export { MAX_WRITE_BYTES } from './syscalls/write.js';
export type { CoreTaskMemory, ThreadState } from './guest-core.js';
export { TASK_COSTS, TASK_FLAGS, type TaskConfig } from './tasks/task-config.js';
export type { FamilyInfo, TaskInfo, Tasks } from './tasks/tasks.js';
