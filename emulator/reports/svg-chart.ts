// Charts as self-contained SVG text, for pages and files read without a network: axes
// with ticks and units, one colour per series and a legend. Line charts for curves
// (time against a count), grouped bars for a table of categories.

const PLOT_WIDTH = 468;
const HEIGHT = 400;
const MARGIN = { left: 72, top: 40, bottom: 56 };
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
/** The legend's column: room for its longest name at about 7 px a character of the 12 px font, at least 180 px. */
const legendWidth = (names: readonly string[]) => Math.max(180, 48 + 7 * Math.max(0, ...names.map((name) => name.length)));
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const colour = (series: number) => COLOURS[series % COLOURS.length]!;
/** A dash pattern per line series, so that curves lying on one another still show each colour. */
const DASHES = ['', '9 4', '3 3', '12 3 3 3'];

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartText {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Round tick steps (1, 2 or 5 times a power of ten) from 0 to at least `max`. */
function ticks(max: number): number[] {
  const top = max > 0 ? max : 1;
  const raw = top / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw)!;
  return Array.from({ length: Math.ceil(top / step) + 1 }, (_, i) => i * step);
}

const label = (value: number) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-2) ? value.toExponential(1).replace('.0e', 'e') : String(Number(value.toPrecision(4))));

/** Where a value sits up the y axis, from 0 (the bottom) to 1 (the top). */
type YScale = (value: number) => number;

/** A legend entry's mark at (x, y), its top left corner: a colour swatch or a stretch of the series' line. */
type LegendMark = (series: number, x: number, y: number) => string;

const swatch: LegendMark = (i, x, y) => `<rect x="${x}" y="${y}" width="12" height="12" fill="${colour(i)}"/>`;

function dash(series: number): string {
  const pattern = DASHES[series % DASHES.length];
  return pattern ? ` stroke-dasharray="${pattern}"` : '';
}

const lineSample: LegendMark = (i, x, y) =>
  `<line x1="${x - 8}" x2="${x + 14}" y1="${y + 6}" y2="${y + 6}" stroke="${colour(i)}" stroke-width="2"${dash(i)}/>`;

function frame(text: ChartText, xTicks: readonly { at: number; text: string }[], yTicks: readonly number[], scale: YScale, body: string,
               legend: readonly string[], mark: LegendMark): string {
  const legendLeft = MARGIN.left + PLOT_WIDTH + 16;
  const width = MARGIN.left + PLOT_WIDTH + legendWidth(legend);
  const y = (value: number) => MARGIN.top + PLOT_HEIGHT - scale(value) * PLOT_HEIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escape(text.title)}</text>`,
    ...yTicks.map((tick) => `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e4e4e4"/>`
      + `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end">${label(tick)}</text>`),
    ...xTicks.map((tick) => `<text x="${tick.at}" y="${MARGIN.top + PLOT_HEIGHT + 18}" text-anchor="middle">${escape(tick.text)}</text>`),
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${MARGIN.top + PLOT_HEIGHT}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="black"/>`,
    `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escape(text.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escape(text.yLabel)}</text>`,
    body,
    ...legend.map((name, i) => `<g class="legend">${mark(i, legendLeft, MARGIN.top + i * 20)}`
      + `<text x="${legendLeft + 18}" y="${MARGIN.top + i * 20 + 10}">${escape(name)}</text></g>`),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

/** Curves through each series' (x, y) points; x from 0, y from 0 or (`log`) on a log axis. */
export function lineChart(text: ChartText, series: readonly Series[], options: { readonly log?: boolean } = {}): string {
  const axis = yAxis(series.flatMap((s) => s.points.map(([, y]) => y)), options.log ?? false);
  const xTicks = ticks(Math.max(...series.flatMap((s) => s.points.map(([x]) => x))));
  const xMax = xTicks.at(-1)!;
  const px = (x: number) => MARGIN.left + (x / xMax) * PLOT_WIDTH;
  const py = (y: number) => MARGIN.top + PLOT_HEIGHT - axis.scale(y) * PLOT_HEIGHT;
  const body = series.map((s, i) => {
    const path = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const dots = s.points.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${colour(i)}"/>`).join('');
    return `<g class="series"><path d="${path}" fill="none" stroke="${colour(i)}" stroke-width="2"${dash(i)}/>${dots}</g>`;
  }).join('\n');
  return frame(text, xTicks.map((tick) => ({ at: px(tick), text: label(tick) })), axis.ticks, axis.scale, body, series.map((s) => s.name), lineSample);
}

/** A linear axis from 0, or (log) one decade per tick from the decade below the least value: for values orders of magnitude apart. */
function yAxis(values: readonly number[], log: boolean): { ticks: number[]; scale: YScale } {
  if (!log) {
    const linear = ticks(Math.max(...values));
    return { ticks: linear, scale: (value) => value / linear.at(-1)! };
  }
  const positive = values.filter((value) => value > 0);
  if (positive.length < values.length) throw new RangeError('a log axis takes positive values only');
  // The decade strictly below the least value, so that its bar is never of no height.
  const low = Math.ceil(Math.log10(Math.min(...positive))) - 1;
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return {
    ticks: Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i)),
    scale: (value) => (Math.log10(value) - low) / (high - low),
  };
}

/** Grouped bars: one group per category, one bar per series (its values in category order); `log` for a log y axis. */
export function barChart(text: ChartText, categories: readonly string[], series: readonly { readonly name: string; readonly values: readonly number[] }[],
                         options: { readonly log?: boolean } = {}): string {
  const axis = yAxis(series.flatMap((s) => s.values), options.log ?? false);
  const group = PLOT_WIDTH / categories.length;
  const bar = (group * 0.8) / series.length;
  const body = categories.map((_, c) => series.map((s, i) => {
    const height = axis.scale(s.values[c]!) * PLOT_HEIGHT;
    const x = MARGIN.left + c * group + group * 0.1 + i * bar;
    return `<rect class="bar" x="${x.toFixed(1)}" y="${(MARGIN.top + PLOT_HEIGHT - height).toFixed(1)}" width="${(bar - 1).toFixed(1)}" `
      + `height="${height.toFixed(1)}" fill="${colour(i)}"><title>${escape(`${s.name}: ${s.values[c]}`)}</title></rect>`;
  }).join('')).join('\n');
  return frame(text, categories.map((name, c) => ({ at: MARGIN.left + (c + 0.5) * group, text: name })), axis.ticks, axis.scale, body, series.map((s) => s.name), swatch);
}
