export { DEFAULT_MAX_EVENTS, RunTimeline } from './run-timeline.js';
export type { Instant, Timeline } from './timeline.js';
export { writePerfettoTrace } from './perfetto-writer.js';
export { EVENT_TYPE, traceType } from './trace-schema.js';
