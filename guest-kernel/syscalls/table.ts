import type { SyscallHandler } from './syscall.js';
import { SYSCALLS, type SyscallNumber } from './numbers.js';
import { sysExit } from './exit.js';
import { sysWrite } from './write.js';
import { sysYield } from './yield.js';
import { sysNodeId } from './node-id.js';
import { sysCoreId } from './core-id.js';
import { sysTimeNs } from './time-ns.js';
import { sysSleepNs } from './sleep-ns.js';
import { sysReport } from './report.js';
import { sysTxBegin } from './tx-begin.js';
import { sysTxCommit } from './tx-commit.js';
import { sysAlloc } from './alloc.js';
import { sysAllocRo } from './alloc-ro.js';
import { sysChanSend } from './chan-send.js';
import { sysChanWait } from './chan-wait.js';
import { sysRfork } from './rfork.js';
import { sysRspawn } from './rspawn.js';
import { sysTaskWait } from './task-wait.js';
import { sysMigrate } from './migrate.js';
import { sysTaskExit } from './task-exit.js';
import { sysTaskId } from './task-id.js';
import { sysParentId } from './parent-id.js';
import { sysTaskMap } from './task-map.js';

/** Each syscall number's handler, as xv6's `syscalls[]`: a new number does not compile without one. */
const SYSCALL_TABLE: Readonly<Record<SyscallNumber, SyscallHandler>> = {
  [SYSCALLS.SYS_EXIT]: sysExit,
  [SYSCALLS.SYS_WRITE]: sysWrite,
  [SYSCALLS.SYS_YIELD]: sysYield,
  [SYSCALLS.SYS_NODE_ID]: sysNodeId,
  [SYSCALLS.SYS_CORE_ID]: sysCoreId,
  [SYSCALLS.SYS_TIME_NS]: sysTimeNs,
  [SYSCALLS.SYS_SLEEP_NS]: sysSleepNs,
  [SYSCALLS.SYS_REPORT]: sysReport,
  [SYSCALLS.SYS_TX_BEGIN]: sysTxBegin,
  [SYSCALLS.SYS_TX_COMMIT]: sysTxCommit,
  [SYSCALLS.SYS_ALLOC]: sysAlloc,
  [SYSCALLS.SYS_ALLOC_RO]: sysAllocRo,
  [SYSCALLS.SYS_CHAN_SEND]: sysChanSend,
  [SYSCALLS.SYS_CHAN_WAIT]: sysChanWait,
  [SYSCALLS.SYS_RFORK]: sysRfork,
  [SYSCALLS.SYS_RSPAWN]: sysRspawn,
  [SYSCALLS.SYS_TASK_WAIT]: sysTaskWait,
  [SYSCALLS.SYS_MIGRATE]: sysMigrate,
  [SYSCALLS.SYS_TASK_EXIT]: sysTaskExit,
  [SYSCALLS.SYS_TASK_ID]: sysTaskId,
  [SYSCALLS.SYS_PARENT_ID]: sysParentId,
  [SYSCALLS.SYS_TASK_MAP]: sysTaskMap,
};

/** The handler of syscall `number`; undefined for a number no syscall has. */
export function syscallHandler(number: number): SyscallHandler | undefined {
  return Object.hasOwn(SYSCALL_TABLE, number) ? SYSCALL_TABLE[number as SyscallNumber] : undefined;
}
