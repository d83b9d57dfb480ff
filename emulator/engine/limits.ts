import { readFileSync } from 'node:fs';

// What a process can hold of engines, measured with libunicorn 2.0.1 on x86-64 Linux.
// Unicorn reserves its translation buffer when an engine first maps memory, and when
// that reservation fails it prints "Could not allocate dynamic translator buffer" and
// exits the whole process: no error reaches the caller. So a cluster's engine count is
// checked before any engine opens (the image validator uses these).

/** Address space each engine reserves for translated code (measured: 1,050,570-1,051,114 KiB). */
export const ENGINE_ADDRESS_SPACE_BYTES = 1027 * 0x10_0000;
/** The most engines (cores) one cluster may have: 2,560 booted in 8 GiB on a 24 GiB host. */
export const MAX_ENGINES = 2048;
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

/**
 * How many more engines this process can open without Unicorn ending it: MAX_ENGINES,
 * or fewer under an address-space limit (each engine reserves about 1 GiB).
 */
export function enginesThisProcessCanOpen(): number {
  const free = addressSpaceLimit() - addressSpaceInUse();
  return Math.max(0, Math.min(MAX_ENGINES, Math.floor(free / ENGINE_ADDRESS_SPACE_BYTES)));
}
