import type { Channels } from '../channels/channels.js';
import type { Dsm } from '../dsm/dsm.js';
import type { IsaName } from '../../isa/index.js';
import type { GuestCore, TrapOutcome } from '../guest-core.js';
import type { Tasks } from '../tasks/tasks.js';
import { writeSyscallResult } from '../syscall-abi.js';

/** The kernel's services a syscall may use: each is absent when the image declares none. */
export interface SyscallServices {
  readonly dsm: Dsm | undefined;
  readonly channels: Channels | undefined;
  readonly tasking: TaskServices | undefined;
}

/** Remote tasking, and what its syscalls must know of the other nodes. */
export interface TaskServices {
  readonly tasks: Tasks;
  readonly nodeCount: number;
  isaOf(node: number): IsaName;
  /** Whether two nodes run the same programs at the same addresses. */
  sameCode(a: number, b: number): boolean;
  /** Where `node` has the routine `name` linked, if it has. */
  entryAddress(node: number, name: string): number | undefined;
}

/** One syscall as its handler sees it: the ABI registers already decoded. */
export interface SyscallCall extends SyscallServices {
  readonly core: GuestCore;
  readonly number: number;
  readonly arguments: readonly [bigint, bigint, bigint, bigint];
}

export type SyscallHandler = (call: SyscallCall) => TrapOutcome;

export const RESUME: TrapOutcome = { action: 'resume' };

/** Writes `value` as the syscall's result and lets the core go on; `wide`: a 64-bit value. */
export function returns(call: SyscallCall, value: bigint, wide = false): TrapOutcome {
  writeSyscallResult(call.core, value, wide);
  return RESUME;
}

/** The low 32 bits of an argument: what every ISA passes in a 32-bit argument. */
export function low32(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

export function needsDsm(call: SyscallCall, serve: (dsm: Dsm) => TrapOutcome): TrapOutcome {
  if (!call.dsm) return { action: 'fault', reason: `syscall ${call.number} needs a DSM: the image has no "dsm" field` };
  return serve(call.dsm);
}

export function needsChannels(call: SyscallCall, serve: (channels: Channels) => TrapOutcome): TrapOutcome {
  if (!call.channels) return { action: 'fault', reason: `syscall ${call.number}: the image declares no channels` };
  return serve(call.channels);
}

export function needsTasks(call: SyscallCall, serve: (services: TaskServices) => TrapOutcome): TrapOutcome {
  if (!call.tasking) return { action: 'fault', reason: `syscall ${call.number} needs tasks: the image has no "tasks" field` };
  return serve(call.tasking);
}
