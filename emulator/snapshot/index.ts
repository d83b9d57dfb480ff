export { loadSnapshotFile, restoreSnapshot, runWithCheckpoints, type Snapshot } from './checkpoint.js';
export { SnapshotError } from './snapshot-error.js';
