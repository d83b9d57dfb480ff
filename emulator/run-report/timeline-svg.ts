import type { Instant, Timeline } from '../perfetto/index.js';

// The per-core timeline of the HTML report: a row per core with its state slices over
// virtual time, and an arrow from each channel message's send to its receipt.

const WIDTH = 1000;
const LABEL = 70;
const ROW = 20;
const TOP = 24;

export const STATE_COLOURS: Readonly<Record<string, string>> = {
  running: '#2ca02c', sleeping: '#aec7e8', blocked: '#d62728', idle: '#dddddd', 'waiting for a page': '#ff7f0e',
  'blocked on a channel': '#9467bd', 'waiting for task creation': '#8c564b', 'waiting for the commit token': '#e377c2',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function timelineSvg(timeline: Timeline): string {
  const endNs = Math.max(1, ...timeline.slices.map((slice) => slice.endNs));
  const x = (ns: number) => LABEL + (ns / endNs) * (WIDTH - LABEL - 10);
  const y = (core: number) => TOP + core * ROW;
  const height = TOP + timeline.cores.length * ROW + 30;
  const rows = timeline.cores.map((core, index) => {
    const slices = timeline.slices.filter((slice) => slice.core === index).map((slice) =>
      `<rect class="timeline-slice" x="${x(slice.startNs).toFixed(1)}" y="${y(index) + 2}" width="${Math.max(0.5, x(slice.endNs) - x(slice.startNs)).toFixed(1)}" `
      + `height="${ROW - 4}" fill="${STATE_COLOURS[slice.state] ?? '#777'}"><title>${escape(`${slice.state}: ${Math.round(slice.startNs)}-${Math.round(slice.endNs)} ns`)}</title></rect>`).join('');
    return `<g class="timeline-row" data-core="n${core.node}.c${core.core}"><text x="4" y="${y(index) + 14}">n${core.node}.c${core.core}</text>${slices}</g>`;
  }).join('\n');
  // Channel messages go from core to core; the other flows (pages, commits, tasking) end on node kernels.
  const onCore = (instant: Instant) => ('core' in instant.place ? instant.place.core : undefined);
  const messages = timeline.instants.filter((instant) => instant.category === 'channels' && onCore(instant) !== undefined);
  const sends = new Map(messages.flatMap((instant) => (instant.flowsOut ?? []).map((flow) => [flow, instant] as const)));
  const arrows = messages.filter((instant) => instant.flowIn !== undefined && sends.has(instant.flowIn)).map((receive) => {
    const send = sends.get(receive.flowIn!)!;
    return `<line class="flow-arrow" x1="${x(send.atNs).toFixed(1)}" y1="${y(onCore(send)!) + ROW / 2}" x2="${x(receive.atNs).toFixed(1)}" `
      + `y2="${y(onCore(receive)!) + ROW / 2}" stroke="black" stroke-width="1" marker-end="url(#arrow)"/>`;
  }).join('\n');
  const ticks = Array.from({ length: 6 }, (_, i) => (endNs * i) / 5).map((ns, i) =>
    `<text x="${x(ns).toFixed(1)}" y="${height - 10}" text-anchor="${i === 0 ? 'start' : i === 5 ? 'end' : 'middle'}">${(ns / 1e6).toFixed(3)} ms</text>`).join('');
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="sans-serif" font-size="11">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
<text x="${LABEL}" y="14">virtual time →</text>
${rows}
${arrows}
${ticks}
</svg>`;
}
