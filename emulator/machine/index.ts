export { Cluster, type BootOptions, type ClusterRunOptions } from './cluster.js';
export type { ConsoleSink } from './console.js';
export { Core } from './core.js';
export { formatFault, type CoreStatus, type CoreSummary, type FaultReport } from './core-report.js';
export { EventQueue } from './event-queue.js';
export { Interconnect, type LinkOverride, type LinkParameters } from './interconnect.js';
export * from './layout.js';
export { Node, type NodeImage } from './node.js';
export type { SchedulerProgress } from './scheduler.js';
