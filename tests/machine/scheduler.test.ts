import { afterAll, describe, expect, it } from 'vitest';
import { bootImage, EventQueue, Interconnect, PROGRAM_BASE } from '../../emulator/index.js';
import { coreOf, runImage, TempDir } from '../support/index.js';

const images = new TempDir('clustervm-scheduler');
afterAll(() => images.cleanup());

// The loop's work sits in the delay slot of its branch, so a quantum that ends between
// branch and slot and resumes wrongly changes the result.
const DELAY_SLOT_LOOP = `main:
 mov 1000, %o2
 clr %o1
loop:
 subcc %o2, 1, %o2
 bne loop
 add %o1, 3, %o1
 mov %o1, %o0
 clr %o1
 mov SYS_REPORT, %g1
 ta 0x10
 retl
 clr %o0
`;

describe('quanta end where SPARC code can resume', () => {
  for (const isa of ['sparc32', 'sparc64'] as const) {
    it(`${isa}: every quantum from 1 to 7 gives the same result and instruction count`, async () => {
      const path = images.writeImage(`delay-${isa}`, { nodes: [{ isa, cores: 1, programs: [{ source: DELAY_SLOT_LOOP }] }] });
      const runs = [];
      for (const quantum of [1, 2, 3, 5, 7, 10_000]) runs.push(coreOf((await runImage(path, { quantum })).cores, 0, 0));
      for (const run of runs) {
        expect(run.status).toBe('exited');
        expect(run.result).toBe('3000');
        expect(run.instructions).toBe(runs[runs.length - 1]!.instructions);
      }
    });

    it(`${isa}: no quantum of 1, 2, 3 or 7 ends in the loop's delay slot`, async () => {
      const path = images.writeImage(`delay-boundaries-${isa}`, { nodes: [{ isa, cores: 1, programs: [{ source: DELAY_SLOT_LOOP }] }] });
      // main: mov, clr, then loop: subcc, bne, and the slot.
      const slot = PROGRAM_BASE + 16;
      for (const quantum of [1, 2, 3, 7]) {
        const cluster = await bootImage(path, { maxInstructions: 1_000_000, console: () => {} });
        try {
          const node = cluster.node(0);
          expect(node.ram.readUInt32BE(slot - 4 - node.ramBase) >>> 22).toBe(0b00_1001_010); // bne
          const boundaries: number[] = [];
          cluster.run({ quantum, onRound: () => { boundaries.push(node.cores[0]!.engine.pc()); } });
          expect(boundaries.length).toBeGreaterThan(3000 / (quantum + 2));
          expect(boundaries.filter((pc) => pc === slot)).toEqual([]);
          expect(boundaries).toContain(slot - 8);
        } finally {
          cluster.close();
        }
      }
    });
  }
});

describe('virtual time', () => {
  it('a sleeping core wakes at its deadline while the others run on', async () => {
    const sleeper = `main:
 mov ebx, 50000
 xor ecx, ecx
 mov eax, SYS_SLEEP_NS
 int 0x80
 mov eax, SYS_TIME_NS
 int 0x80
 mov ebx, eax
 mov ecx, edx
 mov eax, SYS_REPORT
 int 0x80
 xor eax, eax
 ret
`;
    const spinner = 'main:\n mov ecx, 100000\nspin:\n dec ecx\n jnz spin\n xor eax, eax\n ret\n';
    const path = images.writeImage('sleep', { nodes: [{ isa: 'x86-32', cores: 2, programs: [{ source: sleeper, cores: [0] }, { source: spinner, cores: [1] }] }] });
    const run = await runImage(path, { quantum: 1000 });
    const woke = Number(coreOf(run.cores, 0, 0).result);
    // Clock at 1 GHz: the sleeper trapped after a few instructions and 100 cycles of
    // syscall cost, then slept 50 us of virtual time.
    expect(woke).toBeGreaterThanOrEqual(50_000);
    expect(woke).toBeLessThan(51_000);
    expect(coreOf(run.cores, 0, 0).virtualNs).toBeGreaterThan(woke);
    // Two instructions per spin, plus the firmware's few around the program.
    expect(coreOf(run.cores, 0, 1).status).toBe('exited');
    expect(coreOf(run.cores, 0, 1).instructions).toBeGreaterThan(200_000);
    expect(coreOf(run.cores, 0, 1).instructions).toBeLessThan(200_040);
  });
});

describe('event queue', () => {
  it('pops by time, and in insertion order for equal times', () => {
    const queue = new EventQueue<string>();
    const times = [50, 10, 30, 10, 70, 30, 0, 10];
    times.forEach((time, i) => queue.push(time, `e${i}`));
    const popped: string[] = [];
    while (queue.size > 0) popped.push(queue.pop()!.payload);
    expect(popped).toEqual(['e6', 'e1', 'e3', 'e7', 'e2', 'e5', 'e0', 'e4']);
    expect(queue.pop()).toBeUndefined();
  });
});

describe('interconnect', () => {
  it('charges latency plus size over bandwidth, with per-link overrides both ways', () => {
    const net = new Interconnect({ latencyNs: 2_500_000, bandwidthBps: 100e6 },
      [{ from: 0, to: 2, latencyNs: 273, bandwidthBps: 1e9 }]);
    expect(net.transferNs(0, 1, 4096)).toBeCloseTo(2_500_000 + 327_680, 6);
    expect(net.transferNs(2, 0, 4096)).toBeCloseTo(273 + 32_768, 6);
    expect(net.link(1, 2)).toEqual({ latencyNs: 2_500_000, bandwidthBps: 100e6 });
  });
});
