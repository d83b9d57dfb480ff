// `boot --report FILE.html`: one self-contained page (nothing fetched at view time), a
// timeline row per core, an arrow per channel message, a heat-map cell per DSM page and
// counter, and the tables of the run. The real-browser check of the same pages is the
// issue's next step; here the page's markup is read as text.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir, runCli } from '../support/index.js';

const tmp = new TempDir('clustervm-report');
afterAll(() => tmp.cleanup());

async function report(image: string): Promise<{ html: string; run: Record<string, unknown> }> {
  const file = tmp.join(`${image.replace(/\W/g, '_')}.html`);
  const result = await runCli(['boot', image, '--json', '--report', file]);
  expect(result.code).toBe(0);
  return { html: readFileSync(file, 'utf8'), run: JSON.parse(result.stdout) as Record<string, unknown> };
}

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('boot --report', () => {
  it('images/channels.json: a row per core, an arrow per message received, the latency histogram, nothing fetched', async () => {
    const { html, run } = await report('images/channels.json');
    const cores = run.cores as { node: number; core: number }[];
    const channels = run.channels as { received: number }[];
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(count(html, /class="timeline-row"/g)).toBe(cores.length);
    for (const core of cores) expect(html).toContain(`data-core="n${core.node}.c${core.core}"`);
    expect(count(html, /class="flow-arrow"/g)).toBe(channels.reduce((sum, channel) => sum + channel.received, 0));
    expect(html).toContain('Messages by one-way latency');
    // Self-contained: no script, no link, no remote source of any kind.
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(http/);
  });

  it('images/dsm-counter.json: a heat-map cell per page and counter, the commit and abort rates, the bindings table', async () => {
    const { html, run } = await report('images/dsm-counter.json');
    const dsm = run.dsm as { pages: unknown[] };
    expect(count(html, /class="heat-cell"/g)).toBe(dsm.pages.length * 4);
    expect(html).toContain('DSM commits and aborts over the run');
    expect(html).toContain('<h2>Linker bindings</h2>');
    expect(html).toContain('no core faulted');
  });
});
