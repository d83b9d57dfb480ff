import type { summarizeDsm } from '../reports/index.js';

// The DSM page heat map: a column per page that saw traffic, a row per counter (faults,
// transfers, true- and false-sharing aborts), each cell shaded by its count against the
// row's largest.

const ROWS = [
  ['faults', 'faults'], ['transfers', 'transfers'], ['abortsTrueSharing', 'true-sharing aborts'], ['abortsFalseSharing', 'false-sharing aborts'],
] as const;

export function heatMapSvg(dsm: ReturnType<typeof summarizeDsm>): string {
  const cell = Math.max(8, Math.min(40, Math.floor(860 / Math.max(1, dsm.pages.length))));
  const left = 140;
  const width = Math.max(560, left + dsm.pages.length * cell + 20);
  const height = 30 + ROWS.length * cell + 40;
  const cells = ROWS.map(([field, name], row) => {
    const largest = Math.max(1, ...dsm.pages.map((page) => page[field]));
    const label = `<text x="4" y="${30 + row * cell + cell / 2 + 4}">${name}</text>`;
    return label + dsm.pages.map((page, column) => {
      const value = page[field];
      const shade = Math.round(255 - (value / largest) * 200);
      return `<rect class="heat-cell" x="${left + column * cell}" y="${30 + row * cell}" width="${cell - 1}" height="${cell - 1}" `
        + `fill="rgb(255,${shade},${shade})"><title>page ${page.address}: ${value} ${name}</title></rect>`;
    }).join('');
  }).join('\n');
  const columns = dsm.pages.map((page, column) => (column % Math.ceil(dsm.pages.length / 10) === 0
    ? `<text x="${left + column * cell}" y="${30 + ROWS.length * cell + 16}">${page.address}</text>` : '')).join('');
  return `<svg class="heat-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<text x="${left}" y="18">pages (white: none; red: the most of the row)</text>
${cells}
${columns}
</svg>`;
}
