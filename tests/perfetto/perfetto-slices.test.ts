// `boot --perfetto` beyond core states: transactions with their restarts, a commit's
// wait for the token and its broadcast, a re-link's two phases, tasks on their cores,
// checkpoints, pages held per node, and flows for page transfers, commit broadcasts and
// tasking messages; each checked against the run's own counters and tables (--json).
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../emulator/perfetto/index.js';
import { TempDir } from '../support/index.js';
import { descriptors, events, named, slices, trackNamed, traced, type Packet, type TrackEvent } from './trace-reader.js';

const tmp = new TempDir('clustervm-perfetto-slices');
afterAll(() => tmp.cleanup());

const onTrack = (list: readonly TrackEvent[], track: number | undefined) => list.filter((event) => event.trackUuid === track);

/** Every flow a sender starts is ended by one receiver, and each receiver ends one flow that was started. */
function expectMatchedFlows(senders: readonly TrackEvent[], receivers: readonly TrackEvent[]): void {
  const started = senders.flatMap((event) => event.flowIds ?? []);
  const ended = receivers.flatMap((event) => event.terminatingFlowIds ?? []);
  expect(new Set(started).size).toBe(started.length);
  expect([...ended].sort((a, b) => a - b)).toEqual([...started].sort((a, b) => a - b));
}

interface DsmNode { node: number; faults: number; requests: number; transfers: number; commits: number; abortsTrueSharing: number; abortsFalseSharing: number }

describe('boot --perfetto: what lasts and what moves', () => {
  it('images/dsm-counter.json: a transaction slice per commit, a restart slice per abort, the token wait and broadcast nested; page and commit flows as the DSM counted them', async () => {
    const { run, packets } = await traced(tmp, 'images/dsm-counter.json');
    const dsm = run.dsm as { nodes: DsmNode[] };
    const cores = run.cores as { node: number; core: number }[];
    const nodes = dsm.nodes.length;
    const sum = (field: keyof DsmNode) => dsm.nodes.reduce((total, node) => total + node[field], 0);
    const aborts = sum('abortsTrueSharing') + sum('abortsFalseSharing');
    const all = slices(packets);
    const laneTracks = new Set(cores.map((core) => trackNamed(packets, `n${core.node}.c${core.core} transactions`)?.uuid));
    const lanes = all.filter((slice) => laneTracks.has(slice.track));
    const outer = lanes.filter((slice) => slice.depth === 0);
    // Every transaction ends once: committed, or aborted and run again as its next restart.
    expect(outer.filter((slice) => slice.name === 'transaction' || slice.name.startsWith('restart ')).length).toBe(sum('commits') + aborts);
    expect(outer.filter((slice) => slice.name.startsWith('restart ')).length).toBe(aborts);
    expect(outer.filter((slice) => slice.name === 'backoff').length).toBe(aborts);
    expect(outer.filter((slice) => slice.args['global time'] !== undefined).length).toBe(sum('commits'));
    expect(lanes.filter((slice) => slice.name === 'commit broadcast' && slice.depth === 1).length).toBe(sum('commits'));
    expect(lanes.filter((slice) => slice.depth > 1)).toHaveLength(0);
    // A restart's number counts up from 1 on its core between two commits.
    for (const track of laneTracks) {
      let expected = 1;
      for (const slice of outer.filter((candidate) => candidate.track === track).sort((a, b) => a.beginNs - b.beginNs)) {
        if (slice.name.startsWith('restart ')) expect(slice.name).toBe(`restart ${expected++}`);
        if (slice.name === 'transaction') expected = 1;
      }
    }
    // Pages: each owner's "page sent" instants are the transfers it served; each ends in a "page arrived" on the faulting core.
    for (const node of dsm.nodes) {
      expect(onTrack(named(packets, 'page sent'), trackNamed(packets, `node ${node.node} kernel`)?.uuid)).toHaveLength(node.transfers);
    }
    expect(named(packets, 'page sent')).toHaveLength(sum('requests'));
    expectMatchedFlows(named(packets, 'page sent'), named(packets, 'page arrived'));
    // Commits: a flow to every other node's kernel.
    expect(named(packets, 'commit').every((commit) => commit.flowIds?.length === nodes - 1)).toBe(true);
    expect(named(packets, 'commit arrives')).toHaveLength(sum('commits') * (nodes - 1));
    expectMatchedFlows(named(packets, 'commit'), named(packets, 'commit arrives'));
    // Pages held: a counter per node, between none and every page that saw traffic (a node holds no other).
    const pageCount = (run.dsm as { pages: unknown[] }).pages.length;
    for (const node of dsm.nodes) {
      const counter = trackNamed(packets, `node ${node.node} pages held`);
      expect(counter?.counter).toBeDefined();
      const values = onTrack(events(packets), counter!.uuid).map((event) => event.counterValue!);
      expect(values.every((value) => value >= 0 && value <= pageCount)).toBe(true);
      expect(values).toContain(pageCount);
    }
  });

  it('images/flink.json: the policy\'s re-link as a slice on node 0\'s re-link row, its prepare and commit phases nested, ending on the provider the link report names', async () => {
    const { run, packets } = await traced(tmp, 'images/flink.json');
    const links = run.links as { node: number; symbols: { symbol: string; provider: string }[] }[];
    const row = trackNamed(packets, 're-links');
    expect(row?.parentUuid).toBe(descriptors(packets).find((track) => track.process?.pid === 1)!.uuid);
    const relinks = slices(packets).filter((slice) => slice.track === row!.uuid);
    const outer = relinks.filter((slice) => slice.depth === 0);
    expect(outer.length).toBeGreaterThan(0);
    const last = outer.at(-1)!;
    const [, symbol, module] = /^re-link (\S+) → (\S+)$/.exec(last.name)!;
    expect(last.args.outcome).toBe('committed');
    expect(links[0]!.symbols.find((entry) => entry.symbol === symbol)!.provider).toBe(module);
    for (const relink of outer) {
      const phases = relinks.filter((slice) => slice.depth === 1 && slice.beginNs >= relink.beginNs && slice.endNs <= relink.endNs);
      expect(phases.map((phase) => phase.name)).toEqual(['prepare (votes)', 'commit (acknowledgements)']);
      expect(phases[0]!.beginNs).toBe(relink.beginNs);
      expect(phases[0]!.endNs).toBe(phases[1]!.beginNs);
      expect(phases[1]!.endNs).toBe(relink.endNs);
    }
  });

  it('images/remote-tasking.json: each spawned task a slice on its core from its start to its exit, and every tasking message a flow between node kernels', async () => {
    const { run, packets } = await traced(tmp, 'images/remote-tasking.json');
    const tasks = (run.tasks as { task: number; parent: number; node: number; startedNs: number; exitedNs: number | null }[]).filter((task) => task.parent > 0);
    const taskSlices = slices(packets).filter((slice) => /^task \d+$/.test(slice.name));
    expect(taskSlices.map((slice) => slice.name).sort()).toEqual(tasks.map((task) => `task ${task.task}`).sort());
    for (const task of tasks) {
      const slice = taskSlices.find((candidate) => candidate.name === `task ${task.task}`)!;
      expect(slice.beginNs).toBe(Math.round(task.startedNs));
      expect(slice.endNs).toBe(Math.round(task.exitedNs!));
      const track = descriptors(packets).find((candidate) => candidate.uuid === slice.track)!;
      expect(track.name).toMatch(new RegExp(`^n${task.node}\\.c\\d+ tasks$`));
    }
    const sent = events(packets).filter((event) => event.type === EVENT_TYPE.instant && event.categories?.includes('tasks') && event.name?.endsWith(' sent'));
    const received = events(packets).filter((event) => event.type === EVENT_TYPE.instant && event.categories?.includes('tasks') && event.name?.endsWith(' received'));
    expect(sent.length).toBeGreaterThanOrEqual(tasks.length * 2);
    expectMatchedFlows(sent, received);
    expect(named(packets, 'create sent')).toHaveLength(tasks.length);
    expect(named(packets, 'exit received')).toHaveLength(tasks.length);
  });

  it('a run keeping checkpoints: one instant per checkpoint file, on the checkpoints track, at the time it was taken', async () => {
    const dir = tmp.join('checkpoints');
    const { packets } = await traced(tmp, 'images/channels.json', ['--checkpoint-every', '400000', '--checkpoint-dir', dir]);
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    const marks = onTrack(named(packets, 'checkpoint'), trackNamed(packets, 'checkpoints')?.uuid);
    expect(marks.map((mark) => mark.debugAnnotations!.find((a) => a.name === 'file')!.stringValue)).toEqual(files);
    const times = packets.filter((packet: Packet) => packet.trackEvent?.name === 'checkpoint').map((packet) => packet.timestamp!);
    times.forEach((ns, i) => expect(ns).toBeGreaterThanOrEqual(400000 * (i + 1)));
  });
});
