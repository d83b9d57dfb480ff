export { DEFAULT_MAX_EVENTS, RunTimeline, type Timeline } from './run-timeline.js';
export { writePerfettoTrace } from './perfetto-writer.js';
export { EVENT_TYPE, traceType } from './trace-schema.js';
