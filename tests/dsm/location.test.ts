// Page location: broadcast (ask every node, Plurix) against directory (ask the page's home
// node, page % nodes, which forwards to the owner). The same workload ends in the same
// memory; broadcast costs more messages per request, directory more hops; a page fault
// costs exactly what the interconnect charges for the request and the reply.

import { describe, expect, it } from 'vitest';
import type { Dsm } from '../../guest-kernel/dsm/dsm.js';
import { DSM_BASE, expectAllExited, FAST_LAN, runDsm, transferNs, type DsmImage, type DsmRun } from './support/dsm-image.js';
import { ACCOUNT_PAGES, bankProgram, bankTransfers, hex, type BankOptions } from './support/programs.js';

const NODES = 4;
const CORES = 2;
/** Bytes of a page request on the wire (guest-kernel/dsm/dsm.ts REQUEST_BYTES). */
const REQUEST_BYTES = 64;
/** The default interconnect of an image: the papers' LAN. */
const DEFAULT_LAN = { latencyNs: 2_500_000, bandwidthMbps: 100 };

/** Commit transactions per node of the bank run (not pages: a commit tells each other node once). */
function bankCommitsPerNode(options: BankOptions): number[] {
  return Array.from({ length: NODES }, (_, n) => (n === 0 ? 1 : 0) + CORES * options.transfers);
}

describe('broadcast and directory page location', () => {
  const options: BankOptions = { accounts: 8, transfers: 10, initial: 500, pageBytes: 4096 };
  const bank = (location: 'broadcast' | 'directory') => runDsm({
    name: `bank-${location}`,
    dsm: { sizeMiB: 1, pageBytes: options.pageBytes, location },
    interconnect: FAST_LAN,
    groups: [{ isa: 'x86-32', cores: CORES, count: NODES, source: bankProgram('x86-32', options) }],
  });
  const snapshot = (dsm: Dsm) => dsm.committed(DSM_BASE, (ACCOUNT_PAGES + 1) * options.pageBytes);

  it('the same bank workload ends in the same memory; broadcast sends 4 messages per request, directory 1 to 3', async () => {
    const broadcast = await bank('broadcast');
    const directory = await bank('directory');
    expectAllExited(broadcast);
    expectAllExited(directory);
    expect(snapshot(directory.dsm)).toEqual(snapshot(broadcast.dsm));
    // ... and that memory is the bank after every transfer.
    const balances = Array<number>(options.accounts).fill(options.initial);
    for (let n = 0; n < NODES; n++) {
      for (let c = 0; c < CORES; c++) {
        for (const [a, b, amount] of bankTransfers(n, c, options)) {
          balances[a]! -= amount;
          balances[b]! += amount;
        }
      }
    }
    const memory = snapshot(broadcast.dsm);
    const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    expect(balances.map((_, i) => view.getInt32((i % ACCOUNT_PAGES) * options.pageBytes + 0x100 + Math.floor(i / ACCOUNT_PAGES) * 8, true))).toEqual(balances);
    expect(directory.time).toBe(broadcast.time);
    // The schemes really interleaved differently: the same memory is not one run twice.
    expect(directory.cores.map((core) => core.virtualNs)).not.toEqual(broadcast.cores.map((core) => core.virtualNs));

    const commits = bankCommitsPerNode(options);
    const requestMessages = (run: DsmRun) => run.stats.map((node, n) => node.messages - commits[n]! * (NODES - 1));
    const requests = (run: DsmRun) => run.stats.map((node) => node.requests);
    // Broadcast: every request is 3 asks and the reply.
    expect(requestMessages(broadcast)).toEqual(requests(broadcast).map((r) => r * NODES));
    // Directory: to the home (unless it is the requester), on to the owner (unless it is
    // the home), and the reply: 1 to 3 messages per request, on average fewer than 4.
    requestMessages(directory).forEach((messages, n) => {
      const r = requests(directory)[n]!;
      expect(messages).toBeGreaterThanOrEqual(r);
      expect(messages).toBeLessThanOrEqual(3 * r);
    });
    const perRequest = (run: DsmRun) => requestMessages(run).reduce((a, b) => a + b) / requests(run).reduce((a, b) => a + b);
    expect(perRequest(broadcast)).toBe(NODES);
    expect(perRequest(directory)).toBeLessThan(perRequest(broadcast));
    expect(perRequest(directory)).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------
// Exact page-fault time: node 1 of 4 (one x86-32 core each) reads pages 0, 1 and 2, all
// still owned by node 0 (every page starts there); the other nodes exit at once. A core's
// virtual time is its instructions, 100 cycles per trap and its waits (1 GHz: 1 ns a cycle),
// so its waits are virtualNs - instructions - 100 * traps.

const READER = `
main:
    cmp   eax, 1
    jne   done
    mov   ecx, dword ptr [${hex(DSM_BASE)}]
    mov   ecx, dword ptr [${hex(DSM_BASE + 0x1000)}]
    mov   ecx, dword ptr [${hex(DSM_BASE + 0x2000)}]
done:
    xor   eax, eax
    ret
`;

async function readPages(location: 'broadcast' | 'directory', interconnect?: DsmImage['interconnect']): Promise<{ waitNs: number; run: DsmRun }> {
  const run = await runDsm({
    name: `fault-${location}`,
    dsm: { sizeMiB: 1, pageBytes: 4096, location },
    ...(interconnect ? { interconnect } : {}),
    groups: [{ isa: 'x86-32', cores: 1, count: NODES, source: READER }],
  });
  expectAllExited(run);
  const reader = run.cores.find((core) => core.node === 1)!;
  return { waitNs: reader.virtualNs - reader.instructions - 100 * reader.traps, run };
}

describe('page-fault virtual time', () => {
  const page = 4096;
  // Request and reply between direct neighbours: 2 latencies + (64 + 4096) bytes at the bandwidth.
  const direct = (link: { latencyNs: number; bandwidthMbps: number }) => transferNs(link, REQUEST_BYTES) + transferNs(link, page);

  it('broadcast, default LAN: each fault costs request + reply = 2 * 2.5 ms + 4160 B * 8 / 100 Mbit/s', async () => {
    const { waitNs, run } = await readPages('broadcast');
    expect(direct(DEFAULT_LAN)).toBe(5_332_800);
    expect(waitNs).toBe(3 * 5_332_800);
    expect(run.stats[1]).toMatchObject({ faults: 3, requests: 3, messages: 3 * NODES, transfers: 0 });
    expect(run.stats[0]!.transfers).toBe(3);
    // The nodes that only exit have no waits.
    for (const core of run.cores.filter((c) => c.node !== 1)) expect(core.virtualNs - core.instructions - 100 * core.traps).toBe(0);
  });

  it('directory, default LAN: page 2 takes one more hop (node 1 -> home 2 -> owner 0), pages 0 and 1 none', async () => {
    const { waitNs, run } = await readPages('directory');
    // Page 0: home 0 is the owner. Page 1: node 1 is the home and asks the owner. Page 2:
    // node 1 asks home 2, which forwards the request to owner 0; the owner replies to node 1.
    const forwarded = 2 * transferNs(DEFAULT_LAN, REQUEST_BYTES) + transferNs(DEFAULT_LAN, page);
    expect(forwarded).toBe(7_837_920);
    expect(waitNs).toBe(2 * 5_332_800 + 7_837_920);
    expect(run.stats[1]).toMatchObject({ faults: 3, requests: 3, messages: 2 + 2 + 3 });
  });

  it('broadcast with a fast link between node 0 and node 1: the fault pays that link, not the default', async () => {
    const fast = { latencyNs: 273, bandwidthMbps: 1000 };
    const { waitNs } = await readPages('broadcast', { links: [{ from: 0, to: 1, ...fast }] });
    expect(direct(fast)).toBe(546 + 33_280);
    expect(waitNs).toBe(3 * (546 + 33_280));
  });
});

// The load and the sleep after it are one block: the core waits for the page before the
// trap, then sleeps, so the time it reads next includes the fault's request and reply and
// the whole sleep. Node 0 holds every page at the start and reads the same word without
// waiting.
const timedReader = (node: number) => `
main:
    cmp   eax, ${node}
    jne   done
    mov   ecx, dword ptr [${hex(DSM_BASE)}]
    mov   ebx, 1000000
    mov   eax, SYS_SLEEP_NS
    int   0x80
    mov   eax, SYS_TIME_NS
    int   0x80
    mov   ebx, eax
    mov   ecx, edx
    mov   eax, SYS_REPORT
    int   0x80
done:
    xor   eax, eax
    ret
`;

describe('a trap in the block of a page fault', () => {
  const timeRead = async (node: number) => {
    const run = await runDsm({
      name: `fault-then-time-${node}`,
      dsm: { sizeMiB: 1, pageBytes: 4096, location: 'broadcast' },
      groups: [{ isa: 'x86-32', cores: 1, count: NODES, source: timedReader(node) }],
    });
    expectAllExited(run);
    const reader = run.cores.find((core) => core.node === node)!;
    return { at: Number(reader.result), waitNs: reader.virtualNs - reader.instructions - 100 * reader.traps };
  };

  it('runs once the page is there: a 1 ms sleep right after a remote load ends exactly one fault later than after a local one', async () => {
    const local = await timeRead(0);
    const remote = await timeRead(1);
    expect(local.waitNs).toBe(1_000_000);
    expect(remote.waitNs).toBe(5_332_800 + 1_000_000);
    expect(remote.at - local.at).toBe(5_332_800);
  });
});
