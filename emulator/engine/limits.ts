import { readFileSync } from 'node:fs';

// What a process can hold of engines, measured with libunicorn 2.0.1 on x86-64 Linux.
// Unicorn reserves its translation buffer when an engine first maps memory, and when
// that reservation fails it prints "Could not allocate dynamic translator buffer" and
// exits the whole process: no error reaches the caller. So a cluster's engine count is
// checked before any engine opens (the image validator uses these).

/** Address space each engine reserves for translated code (measured: 1,050,570-1,051,114 KiB). */
export const ENGINE_ADDRESS_SPACE_BYTES = 1027 * 0x10_0000;
/**
 * The most engines (cores) one cluster may have: 8,192 keep about 9.2 GiB resident
 * (1.1 MiB each once huge pages are off, fast-path.c), within a 24 GiB host beside node
 * RAM and DSM copies.
 */
export const MAX_ENGINES = 8192;
/** Memory mappings an engine adds (measured: 4; DSM copies and node RAM add their own). */
const MAPPINGS_PER_ENGINE = 6;
/**
 * koffi callbacks the engines hold for hooks: one per hook prototype for the whole
 * process, whatever the number of cores, hooks or channels (koffi allows 8192).
 */
export const HOOK_CALLBACKS = 5;

/** The process's address-space limit (`ulimit -v`) in bytes, or Infinity. */
function addressSpaceLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max address space\s+(\S+)/m.exec(limits)?.[1];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

function addressSpaceInUse(): number {
  try {
    const kib = /^VmSize:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}

/** The kernel's limit on one process's memory mappings (vm.max_map_count). */
function mappingLimit(): number {
  try {
    return Number(readFileSync('/proc/sys/vm/max_map_count', 'utf8').trim()) || Infinity;
  } catch {
    return Infinity;
  }
}

function mappingsInUse(): number {
  try {
    return readFileSync('/proc/self/maps', 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/**
 * How many more engines this process can open without Unicorn ending it: MAX_ENGINES,
 * or fewer under an address-space limit (each engine reserves about 1 GiB) or a
 * mapping limit (each maps its translation buffer and softmmu tables apart).
 */
export function enginesThisProcessCanOpen(): number {
  const byAddressSpace = Math.floor((addressSpaceLimit() - addressSpaceInUse()) / ENGINE_ADDRESS_SPACE_BYTES);
  const byMappings = Math.floor((mappingLimit() - mappingsInUse()) / MAPPINGS_PER_ENGINE);
  return Math.max(0, Math.min(MAX_ENGINES, byAddressSpace, byMappings));
}
