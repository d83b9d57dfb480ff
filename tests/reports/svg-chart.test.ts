// The SVG charts benchmarks and reports draw: well-formed, one mark per value, a legend
// entry per series, points placed by their values, labels escaped.
import { describe, expect, it } from 'vitest';
import { barChart, lineChart } from '../../emulator/reports/index.js';

const count = (svg: string, pattern: RegExp) => svg.match(pattern)?.length ?? 0;

describe('svg charts', () => {
  it('a line chart has one circle per point, a path per series, a legend entry per series, and the larger y drawn higher', () => {
    const svg = lineChart({ title: 'a < b', xLabel: 'tasks', yLabel: 'ms' }, [
      { name: 'flat', points: [[1, 1], [2, 4], [3, 9]] },
      { name: 'tree', points: [[1, 1], [2, 2], [3, 3]] },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(count(svg, /<circle /g)).toBe(6);
    expect(count(svg, /<path /g)).toBe(2);
    expect(count(svg, /class="legend"/g)).toBe(2);
    expect(svg).toContain('a &lt; b');
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((match) => Number(match[1]));
    // In SVG y grows downwards: 9 ms sits above 4 ms, which sits above 1 ms.
    expect(ys[2]!).toBeLessThan(ys[1]!);
    expect(ys[1]!).toBeLessThan(ys[0]!);
  });

  it('a bar chart has one bar per category and series, each titled with its value, heights in proportion', () => {
    const svg = barChart({ title: 'calls', xLabel: 'intensity', yLabel: 'instructions per call' }, ['immediate', 'mediated'],
      [{ name: 'x86-32', values: [2, 6] }, { name: 'sparc32', values: [3, 9] }]);
    expect(count(svg, /class="bar"/g)).toBe(4);
    const heights = [...svg.matchAll(/height="([\d.]+)" fill="[^"]+"><title>([^<]+)<\/title>/g)].map((m) => [m[2], Number(m[1])] as const);
    expect(heights.map(([title]) => title)).toEqual(['x86-32: 2', 'sparc32: 3', 'x86-32: 6', 'sparc32: 9']);
    expect(heights[2]![1] / heights[0]![1]).toBeCloseTo(3, 1);
  });

  it('a log bar chart gives each decade the same height, from the decade below the least value: 1, 10 and 100 stand 1, 2 and 3 steps high', () => {
    const svg = barChart({ title: 'ratios', xLabel: 'binding', yLabel: 'x immediate' }, ['a', 'b', 'c'], [{ name: 'isa', values: [1, 10, 100] }], { log: true });
    const heights = [...svg.matchAll(/class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 2);
    expect(heights[2]! / heights[0]!).toBeCloseTo(3, 2);
    expect([...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1])).toEqual(['0.1', '1', '10', '100']);
    expect(() => barChart({ title: '', xLabel: '', yLabel: '' }, ['a'], [{ name: 'x', values: [0] }], { log: true })).toThrow(/positive/);
  });

  it('a log line chart puts each decade one step up: 10, 100 and 1000 ns stand evenly spaced', () => {
    const svg = lineChart({ title: 'latency', xLabel: 'N', yLabel: 'ns' }, [{ name: 'lan', points: [[1, 10], [2, 100], [4, 1000]] }], { log: true });
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(ys[0]! - ys[1]!).toBeCloseTo(ys[1]! - ys[2]!, 0);
    expect(ys[0]! - ys[1]!).toBeGreaterThan(0);
    expect([...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1])).toEqual(['1', '10', '100', '1000']);
  });
});
