/** A snapshot that cannot be written, read or used: the message names the file and why. */
export class SnapshotError extends Error {}
