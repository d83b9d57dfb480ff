// Watching a run never changes it. Each image runs once freely and once under a debug
// session that stops it hundreds of times: breakpoints on every core, conditions that
// hold now and then and conditions that never hold, steps in schedule order at some
// stops, watchpoints on shared data. The guests' output, every core's counts, virtual
// time and result, the kernel's counters and the block trace are the same.
import { describe, expect, it } from 'vitest';
import { bootImage, type Cluster } from '../../emulator/index.js';
import { DebugSession } from '../../emulator/debugger/index.js';
import { parseCondition } from '../../emulator/debugger/session.js';

const QUANTUM = 1000;

interface Observed {
  readonly console: string[];
  readonly trace: string[];
  readonly cores: string[];
  readonly kernel: string;
  readonly stops: number;
}

async function boot(image: string, console: string[], trace: string[]): Promise<Cluster> {
  return bootImage(image, {
    maxInstructions: 50_000_000,
    console: (line) => console.push(line),
    trace: (node, core, pc) => trace.push(`n${node}.c${core} 0x${pc.toString(16)}`),
  });
}

function observe(cluster: Cluster, console: string[], trace: string[], stops: number): Observed {
  const cores = cluster.finish().map((core) => JSON.stringify(core));
  const kernel = JSON.stringify({ dsmTime: cluster.kernel.dsm?.time, channels: cluster.kernel.channels?.report() });
  cluster.close();
  return { console, trace, cores, kernel, stops };
}

async function freeRun(image: string): Promise<Observed> {
  const console: string[] = [];
  const trace: string[] = [];
  const cluster = await boot(image, console, trace);
  cluster.scheduler().runToEnd(QUANTUM);
  return observe(cluster, console, trace, 0);
}

interface Watching {
  /** Breakpoints: `node/symbol[+offset]`, on every core, with an optional condition. */
  readonly breaks: readonly { readonly at: string; readonly condition?: string }[];
  /** Steps (in schedule order) of the stopped core at every Nth stop. */
  readonly stepEvery: number;
}

async function watchedRun(image: string, watching: Watching): Promise<Observed> {
  const console: string[] = [];
  const trace: string[] = [];
  const cluster = await boot(image, console, trace);
  const session = new DebugSession(cluster, QUANTUM);
  for (const { at, condition } of watching.breaks) {
    const [node, symbol] = at.split('/') as [string, string];
    const [name, offset] = symbol.split('+') as [string, string | undefined];
    const address = session.resolveAddress(name, Number(node)) + Number(offset ?? 0);
    session.addBreakpoint(address, 'all', condition === undefined ? undefined : parseCondition(condition, [condition.split(' ')[0]!]));
  }
  let stops = 0;
  for (;;) {
    const stop = session.continue();
    if (stop.kind === 'exited') break;
    stops++;
    if (stops % watching.stepEvery === 0 && session.core().isRunnable) session.stepInOrder(session.selected, 3);
  }
  return observe(cluster, console, trace, stops);
}

describe('a debug session never changes the run', () => {
  it.each([
    {
      image: 'images/flink.json',
      breaks: [{ at: '0/foo' }, { at: '0/foo', condition: 'eax == 123456789' }],
      minStops: 1000,
    },
    {
      image: 'images/dsm-counter.json',
      // The loop head and the DSM access inside its block, on the x86-32 and the x86-64 nodes.
      breaks: [{ at: '0/counter:again' }, { at: '0/counter:again+10' }, { at: '2/counter:again', condition: 'rsi == 7' }],
      minStops: 300,
    },
    {
      image: 'images/channels.json',
      breaks: [{ at: '0/ping:round' }, { at: '1/pong:again' }, { at: '0/pong:again', condition: 'eax == 0' }],
      minStops: 80,
    },
  ])('$image: the same output, counts and trace under $minStops+ stops', async ({ image, breaks, minStops }) => {
    const free = await freeRun(image);
    const watched = await watchedRun(image, { breaks, stepEvery: 5 });
    expect(watched.stops).toBeGreaterThanOrEqual(minStops);
    expect(watched.console).toEqual(free.console);
    expect(watched.cores).toEqual(free.cores);
    expect(watched.kernel).toEqual(free.kernel);
    expect(watched.trace.length).toBe(free.trace.length);
    expect(watched.trace.join('\n') === free.trace.join('\n')).toBe(true);
  });
});
