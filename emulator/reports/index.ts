export { formatChannelTable, summarizeChannels } from './channel-summary.js';
export { formatSummaryTable, summarize } from './core-summary.js';
export { formatDsmPageTable, formatDsmTable, summarizeDsm } from './dsm-summary.js';
export { formatTable } from './text-table.js';
export { formatTaskTable, summarizeTasks } from './task-summary.js';
export { barChart, lineChart } from './svg-chart.js';
