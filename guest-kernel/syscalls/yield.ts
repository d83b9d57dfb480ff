import type { TrapOutcome } from '../guest-core.js';

/** SYS_YIELD: the core's quantum ends here. */
export function sysYield(): TrapOutcome {
  return { action: 'yield' };
}
