// `boot --report` in a real browser: Debian's Chromium, headless, driven by
// playwright-core, opens the HTML report from the file system (nothing served, no
// network), finds a timeline row per core, the heat map's cells and the message arrows,
// takes a screenshot that is a picture (not a blank page), and fails on any console
// error or uncaught page error.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDir, runCli } from '../support/index.js';

/** Debian's chromium package puts its launcher here (`make test` installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';

const tmp = new TempDir('clustervm-report-browser');
let browser: Browser;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: make test installs Debian's chromium package`).toBe(true);
  // As root (CI), Chromium refuses to start without --no-sandbox.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});

async function report(image: string) {
  const file = tmp.join(`${image.replace(/\W/g, '_')}.html`);
  const result = await runCli(['boot', image, '--json', '--report', file]);
  expect(result.code).toBe(0);
  return { file, run: JSON.parse(result.stdout) as Record<string, unknown> };
}

/** Opens the report in a fresh page; what the page said on its console and what it tried to fetch come back with it. */
async function open(file: string) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, close: () => context.close() };
}

/** The distinct colours of a PNG, counted by the browser decoding it onto a canvas. */
async function coloursIn(png: Buffer): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const count = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const drawing = canvas.getContext('2d')!;
    drawing.drawImage(image, 0, 0);
    const pixels = drawing.getImageData(0, 0, image.width, image.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, png.toString('base64'));
  await context.close();
  return count;
}

describe('the HTML report in headless Chromium', () => {
  it('images/dsm-counter.json: a timeline row per core, four heat-map cells per page, a picture on screen, no console error', async () => {
    const { file, run } = await report('images/dsm-counter.json');
    const cores = run.cores as { node: number; core: number }[];
    const pages = (run.dsm as { pages: unknown[] }).pages;
    const view = await open(file);
    const rows = await view.page.locator('svg.timeline g.timeline-row').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-core')));
    expect(rows).toEqual(cores.map((core) => `n${core.node}.c${core.core}`));
    expect(await view.page.locator('.heat-cell').count()).toBe(pages.length * 4);
    // Each row is drawn: its slices have width on screen.
    const box = await view.page.locator('svg.timeline').boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    expect(await view.page.locator('rect.timeline-slice').count()).toBeGreaterThan(cores.length);
    const shot = await view.page.screenshot({ path: tmp.join('dsm-counter.png'), fullPage: true });
    expect([...readFileSync(tmp.join('dsm-counter.png')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await coloursIn(shot)).toBeGreaterThan(10);
    expect(view.errors).toEqual([]);
    expect(view.requests).toEqual([view.page.url()]);
    await view.close();
  });

  it('images/channels.json: a timeline row per core and an arrow per message received, no console error', async () => {
    const { file, run } = await report('images/channels.json');
    const cores = run.cores as { node: number; core: number }[];
    const received = (run.channels as { received: number }[]).reduce((sum, channel) => sum + channel.received, 0);
    const view = await open(file);
    expect(await view.page.locator('svg.timeline g.timeline-row').count()).toBe(cores.length);
    expect(await view.page.locator('line.flow-arrow').count()).toBe(received);
    // Each arrow is on screen inside the timeline and goes from one core's row to another's.
    const svg = (await view.page.locator('svg.timeline').boundingBox())!;
    const boxes = await view.page.locator('line.flow-arrow').evaluateAll((lines) => lines.map((line) => {
      const box = line.getBoundingClientRect();
      return { left: box.left + window.scrollX, right: box.right + window.scrollX, top: box.top + window.scrollY, height: box.height };
    }));
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(svg.x);
      expect(box.right).toBeLessThanOrEqual(svg.x + svg.width);
      expect(box.height).toBeGreaterThan(0);
    }
    const shot = await view.page.screenshot({ path: tmp.join('channels.png'), fullPage: true });
    expect(await coloursIn(shot)).toBeGreaterThan(10);
    expect(view.errors).toEqual([]);
    expect(view.requests).toEqual([view.page.url()]);
    await view.close();
  });
});
