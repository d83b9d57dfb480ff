// `dsm` benchmark: the DSM's page-fault service time (virtual and host), commit rates for
// 1 to 16 nodes, aborts against write-set overlap, broadcast against directory page
// location, and the 10^5-gap check: matrix multiplication speedup beside the paper's
// formula and TreadMarks' figures; and the host cost of a DSM access the kernel need not
// act on, beside node RAM.
import { loadToolchain } from '../../../linker/index.js';
import { summaryLine } from '../format.js';
import { dsmExtraNs, measureAccesses, ramSlowdown } from './access.js';
import { measureCommits, measureOverlap, type CommitRow, type Workload } from './commits.js';
import { FAULT_PAGES, measureFaultTable, measureLocations } from './faults.js';
import { GIGABIT, LAN, MEMORY_LINK, removeImages, type Link } from './guests.js';
import { matmulFigures, measureMatmul, TARGET } from './matmul.js';
import {
  matmulHeadline, printAccesses, printCommits, printFaults, printLocations, printMatmul, printOverlap,
} from './report.js';

export async function run(): Promise<void> {
  try {
    const faults = await measureFaultTable();
    printFaults(faults);
    const commits = await measureCommits();
    printCommits(commits);
    const overlap = await measureOverlap();
    printOverlap(overlap);
    const locations = await measureLocations();
    printLocations(locations);
    const matmul = await measureMatmul();
    printMatmul(matmul);
    const accesses = await measureAccesses(await loadToolchain());
    printAccesses(accesses);

    const largest = FAULT_PAGES[FAULT_PAGES.length - 1]!;
    const fault = (link: Link) => faults.find((r) => r.isa === 'x86-32' && r.link === link && r.pages === largest)!;
    const commitRow = (workload: Workload, link: Link): CommitRow =>
      commits.find((r) => r.isa === 'x86-32' && r.workload === workload && r.link === link && r.nodes === 16)!;
    const rate = (row: CommitRow, ns: number) => ((row.commits * 1e9) / ns).toFixed(0);
    const abortRate = (quarters: number) => {
      const row = overlap.find((r) => r.shared === 'counter' && r.quarters === quarters)!;
      return (row.aborts / (row.commits + row.aborts)).toFixed(3);
    };
    const messages = (location: string) => {
      const row = locations.find((r) => r.nodes === 16 && r.location === location)!;
      return (row.messages / row.faults).toFixed(2);
    };
    const headline = matmulHeadline(matmul.target);
    const target = matmul.target;
    const at8 = (link: Link) =>
      matmulFigures(target, target.runs.find((r) => r.nodes === TARGET.nodes && r.link === link)!).measured.toFixed(2);
    process.stdout.write(`\nsummary: fault_us = host us per page fault (x86-32, LAN, P=${largest}); fault_v*_us = ` +
      `virtual us per fault by link; commits_* at 16 nodes on the LAN, per virtual and per host second; abort_rate_* ` +
      'on 4 nodes by share of transactions on the shared counter; msgs_* per fault at 16 nodes; mm_* the ' +
      `${TARGET.n}x${TARGET.n} matrix on ${TARGET.nodes} nodes (T_1/T_${TARGET.nodes}, the formula's S_a, l, the target; ` +
      'the same on the other links); dsm_access_ns = host ns a read (write) of a held DSM page adds over node RAM ' +
      'without a DSM, ram_slowdown = node RAM in a DSM image against without one (x86-32)\n');
    process.stdout.write(`${summaryLine('dsm', {
      fault_us: fault(LAN).hostUs.toFixed(1),
      fault_vlan_us: (fault(LAN).virtualNs / 1000).toFixed(1),
      fault_vgigabit_us: (fault(GIGABIT).virtualNs / 1000).toFixed(1),
      fault_vmemory_us: (fault(MEMORY_LINK).virtualNs / 1000).toFixed(1),
      commits_own_per_vs: rate(commitRow('own page', LAN), commitRow('own page', LAN).virtualNs),
      commits_shared_per_vs: rate(commitRow('shared counter', LAN), commitRow('shared counter', LAN).virtualNs),
      commits_own_per_hs: rate(commitRow('own page', LAN), commitRow('own page', LAN).hostMs * 1e6),
      abort_rate_25: abortRate(1), abort_rate_50: abortRate(2), abort_rate_100: abortRate(4),
      msgs_broadcast: messages('broadcast'), msgs_directory: messages('directory'),
      mm_speedup: headline.speedup.toFixed(2), mm_formula: headline.predicted.toFixed(2),
      mm_l: matmulFigures(target, target.single).l.toFixed(4),
      mm_target: headline.met ? 'pass' : 'MISS',
      mm_gigabit: at8(GIGABIT), mm_lan: at8(LAN),
      dsm_access_ns: dsmExtraNs(accesses, 'x86-32', 'read').toFixed(1),
      dsm_access_write_ns: dsmExtraNs(accesses, 'x86-32', 'write').toFixed(1),
      ram_slowdown: ramSlowdown(accesses, 'x86-32', 'read').toFixed(2),
    })}\n`);
  } finally {
    removeImages();
  }
}
