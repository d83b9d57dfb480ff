/** A module, binding or re-link the linker cannot carry out; the message names where. */
export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}
