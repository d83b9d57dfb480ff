// `boot --perfetto`: the trace decodes with the same Perfetto schema, and its tracks,
// slices, instants and flows agree with the run's own counters from --json.
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../emulator/perfetto/index.js';
import { TempDir, runCli } from '../support/index.js';
import { descriptors as trackDescriptors, events, named, traced as tracedIn } from './trace-reader.js';

const tmp = new TempDir('clustervm-perfetto');
afterAll(() => tmp.cleanup());

const traced = (image: string, extra: readonly string[] = []) => tracedIn(tmp, image, extra);

describe('boot --perfetto', () => {
  it('images/channels.json: a process per node, a track per core, one flow per message from its send to its receipt', async () => {
    const { run, packets } = await traced('images/channels.json');
    const cores = run.cores as { node: number; core: number }[];
    const channels = run.channels as { sent: number; received: number }[];
    const descriptors = trackDescriptors(packets);
    expect(descriptors.filter((track) => track.process).length).toBe(new Set(cores.map((core) => core.node)).size);
    expect(descriptors.filter((track) => track.thread).map((track) => track.thread!.threadName)).toEqual(cores.map((core) => `n${core.node}.c${core.core}`));
    const sent = channels.reduce((sum, channel) => sum + channel.sent, 0);
    const received = channels.reduce((sum, channel) => sum + channel.received, 0);
    expect(named(packets, 'send')).toHaveLength(sent);
    expect(named(packets, 'receive')).toHaveLength(received);
    const starts = events(packets).flatMap((event) => event.flowIds ?? []);
    const ends = events(packets).flatMap((event) => event.terminatingFlowIds ?? []);
    expect(new Set(starts).size).toBe(sent);
    expect(new Set(ends).size).toBe(received);
    expect(ends.every((flow) => starts.includes(flow))).toBe(true);
    // Timestamps never go back, and every slice that begins on a track ends there.
    const times = packets.map((packet) => packet.timestamp ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const track of descriptors.filter((candidate) => candidate.thread)) {
      const onTrack = events(packets).filter((event) => event.trackUuid === track.uuid);
      expect(onTrack.filter((event) => event.type === EVENT_TYPE.sliceBegin).length).toBe(onTrack.filter((event) => event.type === EVENT_TYPE.sliceEnd).length);
      expect(onTrack.some((event) => event.name === 'running')).toBe(true);
    }
  });

  it('images/dsm-counter.json: one commit instant per commit, one page-fault instant per fault, aborts as counted, the global-time counter ending at the global time', async () => {
    const { run, packets } = await traced('images/dsm-counter.json');
    const dsm = run.dsm as { globalTime: number; nodes: { faults: number; commits: number; abortsTrueSharing: number; abortsFalseSharing: number }[] };
    const total = (field: 'faults' | 'commits') => dsm.nodes.reduce((sum, node) => sum + node[field], 0);
    expect(named(packets, 'commit')).toHaveLength(total('commits'));
    expect(named(packets, 'page fault')).toHaveLength(total('faults'));
    expect(named(packets, 'abort')).toHaveLength(dsm.nodes.reduce((sum, node) => sum + node.abortsTrueSharing + node.abortsFalseSharing, 0));
    const counter = packets.find((packet) => packet.trackDescriptor?.name === 'global time')!.trackDescriptor!.uuid;
    const samples = events(packets).filter((event) => event.type === EVENT_TYPE.counter && event.trackUuid === counter) as { counterValue?: number }[];
    expect(samples.at(-1)!.counterValue).toBe(dsm.globalTime);
  });

  it('--perfetto-max-events bounds the trace and says so on stderr; the run itself still ends as without it', async () => {
    const bounded = await traced('images/dsm-counter.json', ['--perfetto-max-events', '200']);
    expect(events(bounded.packets).length).toBeLessThanOrEqual(2 * 200 + 50);
    expect(bounded.stderr).toMatch(/^clustervm: --perfetto .*: the trace stops at \d+ ns, where it reached --perfetto-max-events; the run went on to its end\n$/);
    const free = await traced('images/dsm-counter.json');
    expect(bounded.run.cores).toEqual(free.run.cores);
  });

  it('is refused with node failures and with an empty file name: one line, exit code 2', async () => {
    const failing = await runCli(['boot', 'images/c-bank.json', '--crash', '1@100000', '--perfetto', tmp.join('never.pftrace')]);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toBe('clustervm: --perfetto: not with node failures (the run goes back to a checkpoint, a trace\'s time cannot)\n');
    const empty = await runCli(['boot', 'images/hello-x86.json', '--perfetto', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('clustervm: --perfetto: expected a file name, got \'\'\n');
  });
});
