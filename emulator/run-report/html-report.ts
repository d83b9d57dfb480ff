import type { FaultReport } from '../machine/index.js';
import type { Timeline } from '../perfetto/index.js';
import {
  barChart, formatSummaryTable, lineChart, summarize, summarizeChannels, summarizeDsm, summarizeTasks,
} from '../reports/index.js';
import type { LinkReport } from '../../linker/index.js';
import { heatMapSvg } from './heat-map.js';
import { STATE_COLOURS, timelineSvg } from './timeline-svg.js';

// One self-contained HTML page of a run (`boot --report FILE.html`): no script, no
// style sheet or font from anywhere else, every picture inline SVG.

export interface ReportInput {
  readonly summary: ReturnType<typeof summarize>;
  readonly timeline: Timeline;
  readonly dsm: ReturnType<typeof summarizeDsm> | undefined;
  readonly channels: ReturnType<typeof summarizeChannels> | undefined;
  readonly tasks: ReturnType<typeof summarizeTasks> | undefined;
  readonly links: readonly (LinkReport & { readonly node: number })[];
  readonly faults: readonly FaultReport[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const BINS = 20;

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `<table><tr>${header.map((cell) => `<th>${escape(cell)}</th>`).join('')}</tr>${rows.map((row) =>
    `<tr>${row.map((cell) => `<td>${escape(String(cell))}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** Commits and aborts per virtual millisecond, in BINS bins over the run. */
function ratesSvg(timeline: Timeline): string | undefined {
  const events = timeline.instants.filter((instant) => instant.name === 'commit' || instant.name === 'abort');
  if (events.length === 0) return undefined;
  const endNs = Math.max(...timeline.slices.map((slice) => slice.endNs), ...events.map((event) => event.atNs));
  const binNs = endNs / BINS;
  const series = (name: string) => ({
    name: `${name}s`,
    points: Array.from({ length: BINS }, (_, bin): [number, number] => [((bin + 0.5) * binNs) / 1e6,
      events.filter((event) => event.name === name && Math.min(BINS - 1, Math.floor(event.atNs / binNs)) === bin).length / (binNs / 1e6)]),
  });
  return lineChart({ title: 'DSM commits and aborts over the run', xLabel: 'virtual time (ms)', yLabel: 'per virtual ms' }, [series('commit'), series('abort')]);
}

function section(title: string, body: string): string {
  return `<section><h2>${escape(title)}</h2>\n${body}\n</section>`;
}

export function htmlReport(input: ReportInput): string {
  const { summary, timeline } = input;
  const legend = Object.entries(STATE_COLOURS).map(([state, colour]) =>
    `<span class="legend"><span class="swatch" style="background:${colour}"></span>${escape(state)}</span>`).join(' ');
  const parts = [
    section('Run', `<p>image <code>${escape(summary.image)}</code>, quantum ${summary.quantum}, exit code ${summary.exitCode}, `
      + `${timeline.cores.length} cores on ${timeline.nodes.length} nodes</p><pre>${escape(formatSummaryTable(summary))}</pre>`),
    section('Timeline', `<p>${legend}; arrows: channel messages from send to receipt. States are read at scheduler-round boundaries.</p>`
      + `${timelineSvg(timeline)}${timeline.truncatedAtNs === undefined ? '' : `<p>Recording stopped at ${Math.round(timeline.truncatedAtNs)} ns (the event limit).</p>`}`),
  ];
  if (input.dsm) {
    parts.push(section('DSM pages', input.dsm.pages.length > 0 ? heatMapSvg(input.dsm) : '<p>no page saw traffic</p>'));
    const rates = ratesSvg(timeline);
    if (rates) parts.push(section('Commits and aborts', rates));
  }
  if (input.channels && input.channels.length > 0) {
    const buckets = [...new Set(input.channels.flatMap((channel) => channel.latency.map((bucket) => bucket.belowNs)))].sort((a, b) => a - b);
    parts.push(section('Channel latency', barChart({ title: 'Messages by one-way latency', xLabel: 'latency below (virtual ns)', yLabel: 'messages' },
      buckets.map((below) => `<${below}`),
      input.channels.map((channel) => ({
        name: `${channel.id}: ${channel.from} → ${channel.to}`,
        values: buckets.map((below) => channel.latency.find((bucket) => bucket.belowNs === below)?.count ?? 0),
      })))));
  }
  if (input.tasks) {
    parts.push(section('Tasks', table(['task', 'parent', 'node', 'phase', 'pages fetched', 'bytes moved', 'exit value'],
      input.tasks.tasks.map((task) => [task.task, task.parent || '-', task.node, task.phase, task.pagesFetched, task.bytesMoved, task.exitValue ?? '-']))));
  }
  parts.push(section('Linker bindings', table(['node', 'symbol', 'intensity', 'provider', 'reached', 'references', 'calls'],
    input.links.flatMap((link) => link.symbols.map((symbol) =>
      [link.node, symbol.symbol, symbol.intensity, symbol.provider ?? '-', symbol.via, symbol.references, symbol.calls])))));
  parts.push(section('Faults', input.faults.length === 0 ? '<p>no core faulted</p>'
    : `<ul>${input.faults.map((fault) => `<li class="fault">n${fault.node}.c${fault.core} at ${fault.pcHex} (${escape(fault.instruction)}): ${escape(fault.reason)}</li>`).join('')}</ul>`));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>clustervm: ${escape(summary.image)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}
pre{font-size:12px;background:#f6f6f6;padding:8px;overflow-x:auto}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.legend{margin-right:12px;font-size:12px}</style></head>
<body><h1>clustervm run report</h1>
${parts.join('\n')}
</body></html>
`;
}
