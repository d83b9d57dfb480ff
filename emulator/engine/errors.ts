/** A Unicorn call failed; carries Unicorn's own error code and message. */
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
