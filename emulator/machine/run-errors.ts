import {
  UC_ERR_FETCH_PROT, UC_ERR_FETCH_UNMAPPED, UC_ERR_INSN_INVALID, UC_ERR_READ_PROT, UC_ERR_READ_UNMAPPED,
  UC_ERR_WRITE_PROT, UC_ERR_WRITE_UNMAPPED, UC_HOOK_MEM_FETCH_PROT, UC_HOOK_MEM_FETCH_UNMAPPED,
  UC_HOOK_MEM_READ_PROT, UC_HOOK_MEM_READ_UNMAPPED, UC_HOOK_MEM_WRITE_PROT, UC_HOOK_MEM_WRITE_UNMAPPED,
  UC_MEM_FETCH_PROT, UC_MEM_FETCH_UNMAPPED, UC_MEM_READ_PROT, UC_MEM_READ_UNMAPPED, UC_MEM_WRITE_PROT,
  UC_MEM_WRITE_UNMAPPED,
} from '../engine/index.js';
import type { MemoryFault } from '../../guest-kernel/index.js';

/** The memory events that end a run with a guest fault, which the core describes. */
export const MEMORY_FAULT_HOOKS = UC_HOOK_MEM_READ_UNMAPPED | UC_HOOK_MEM_WRITE_UNMAPPED | UC_HOOK_MEM_FETCH_UNMAPPED |
  UC_HOOK_MEM_READ_PROT | UC_HOOK_MEM_WRITE_PROT | UC_HOOK_MEM_FETCH_PROT;

export const MEMORY_FAULT_KINDS: Readonly<Record<number, Pick<MemoryFault, 'access' | 'kind'>>> = {
  [UC_MEM_READ_UNMAPPED]: { access: 'read', kind: 'unmapped' },
  [UC_MEM_WRITE_UNMAPPED]: { access: 'write', kind: 'unmapped' },
  [UC_MEM_FETCH_UNMAPPED]: { access: 'fetch', kind: 'unmapped' },
  [UC_MEM_READ_PROT]: { access: 'read', kind: 'protected' },
  [UC_MEM_WRITE_PROT]: { access: 'write', kind: 'protected' },
  [UC_MEM_FETCH_PROT]: { access: 'fetch', kind: 'protected' },
};

/** Unicorn's run results that are the guest's fault: the instruction did not complete. */
export const GUEST_FAULT_CODES: ReadonlySet<number> = new Set([UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED,
  UC_ERR_FETCH_UNMAPPED, UC_ERR_READ_PROT, UC_ERR_WRITE_PROT, UC_ERR_FETCH_PROT, UC_ERR_INSN_INVALID]);
