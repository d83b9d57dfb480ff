export {
  lastCheckpoint, loadSnapshotFile, NodeFailureError, restoreSnapshot, runWithCheckpoints, type CheckpointPlan, type Snapshot,
} from './checkpoint.js';
export { RunConsole } from './run-console.js';
export { SnapshotError } from './snapshot-error.js';
