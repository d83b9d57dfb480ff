// Going back over a long stretch: snapshots every 100 instructions of images/flink.json
// would be 2,200, past the 64 a session keeps, so they are thinned (every other one goes
// and the spacing doubles) again and again as the run goes. reverse-continue must still
// land on each earlier hit with the registers it had then, stretch by stretch, and the
// run must still end exactly as a free one.
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../emulator/index.js';
import { DebugSession } from '../../emulator/debugger/index.js';

const IMAGE = 'images/flink.json';
const REGISTERS = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'esp', 'eip'];

describe('time travel with thinned snapshots', () => {
  it('reverse-continue walks back hit by hit, and the run then ends as a free run', async () => {
    const free = await bootImage(IMAGE, { maxInstructions: 50_000_000, console: () => {} });
    free.run({ quantum: 1000 });
    const freeCounts = free.cores.map((core) => [core.instructions, core.summary().virtualNs]);
    free.close();

    const cluster = await bootImage(IMAGE, { maxInstructions: 50_000_000, console: () => {} });
    try {
      const session = new DebugSession(cluster, 1000, { historyEvery: 100 });
      const ref = { node: 0, core: 3 };
      const registers = () => REGISTERS.map((name) => session.core(ref).readRegister(name)).join(' ');
      const breakpoint = session.addBreakpoint(session.resolveAddress('foo', 0), ref);
      const hits: string[] = [];
      for (let stop = session.continue(); stop.kind === 'breakpoint'; stop = session.continue()) hits.push(registers());
      expect(hits.length).toBe(4000);
      // The last hit's state is gone with the exit: go back from the end, hit by hit.
      for (let i = hits.length - 1; i >= hits.length - 5; i--) {
        expect(session.reverseContinue()).toMatchObject({ kind: 'breakpoint', id: breakpoint.id, core: ref });
        expect(registers(), `hit ${i}`).toBe(hits[i]);
      }
      const at = session.core(ref).instructions;
      expect(session.reverseStep(ref, 250)).toEqual({ kind: 'step', core: ref });
      expect(session.core(ref).instructions).toBe(at - 250);
      session.delete(breakpoint.id);
      expect(session.continue().kind).toBe('exited');
      expect(cluster.cores.map((core) => [core.instructions, core.summary().virtualNs])).toEqual(freeCounts);
    } finally {
      cluster.close();
    }
  });
});

describe('a checkpoint', () => {
  it('changes nothing of the run: the caught events still queued are reported after it as without it', async () => {
    const stops = async (checkpointing: boolean): Promise<string[]> => {
      const cluster = await bootImage('images/false-sharing.json', { maxInstructions: 50_000_000, console: () => {} });
      try {
        const session = new DebugSession(cluster, 1000);
        session.catches.add('commit');
        session.catches.add('abort');
        const seen: string[] = [];
        for (let stop = session.continue(); stop.kind === 'catch' && seen.length < 60; stop = session.continue()) {
          seen.push(JSON.stringify(stop.event));
          if (checkpointing) session.checkpoint();
        }
        return seen;
      } finally {
        cluster.close();
      }
    };
    const plain = await stops(false);
    expect(plain.filter((event) => event.includes('"abort"')).length).toBeGreaterThan(0);
    expect(await stops(true)).toEqual(plain);
  });
});
