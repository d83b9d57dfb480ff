/**
 * Unicorn refused a call (a mapping, a register, a hook, a repair at open): the
 * operation, Unicorn's `uc_err` code and its `uc_strerror` message. A guest fault in a
 * run is no error but the run's result code, and a hook's exception comes back in the
 * run's result too (`RunResult`).
 */
export class UnicornError extends Error {
  constructor(
    readonly operation: string,
    readonly code: number,
    readonly unicornMessage: string,
  ) {
    super(`${operation}: ${unicornMessage} (UC_ERR ${code})`);
    this.name = 'UnicornError';
  }
}
