export { loadSnapshotFile, NodeFailureError, restoreSnapshot, runWithCheckpoints, type Snapshot } from './checkpoint.js';
export { HeldOutput } from './held-output.js';
export { SnapshotError } from './snapshot-error.js';
