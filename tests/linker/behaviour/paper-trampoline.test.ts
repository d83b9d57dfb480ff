// FLink's SPARC trampoline is three instructions: sethi %hi(f), %g1; jmpl %g1 + %lo(f),
// %g0; nop. A core stopped between the sethi and the jmpl when the trampoline is rewritten
// must not combine the old %hi with the new %lo. f.seq is padded so that its %hi differs
// from f.lwp's: the mixed address would land in f.seq's padding (zero words, `unimp`).
// A quantum ends at a block start and the trampoline is one block, so no quantum stops
// inside it: a core at the trampoline is stepped once, as the debugger does, to stop it
// right after the sethi, and the switch happens there.

import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeTicket } from '../../../linker/index.js';
import type { IsaName } from '../../../isa/index.js';
import { counters, expectSwitchedAfter, type CoreCounters } from '../support/behaviour-counters.js';
import { boot, hex, ImageDir, SPARC_ISAS } from '../support/behaviour-image.js';
import { counterImpl, counterMain, RECORD_FIELDS } from '../support/behaviour-programs.js';

const dir = new ImageDir();
afterAll(() => dir.remove());

const LOOPS = 12;
const CORES = 4;
const hi = (address: number) => address & ~0x3ff;
const lo = (address: number) => address & 0x3ff;

describe.concurrent.each(SPARC_ISAS)('%s: mediated f with the paper trampoline', (isa: IsaName) => {
  it('a core stopped inside the trampoline during use(f, f.lwp) restarts it and reaches f.lwp', async () => {
    const path = dir.write(`paper-${isa}`, {
      isa, cores: CORES,
      programs: [{ name: 'main', source: counterMain(isa, LOOPS) }],
      modules: [
        { name: 'f.seq', source: counterImpl(isa, RECORD_FIELDS.seq, 2048) },
        { name: 'f.lwp', source: counterImpl(isa, RECORD_FIELDS.lwp) },
      ],
      bindings: { f: 'mediated' },
      trampolines: 'paper',
    });
    const { cluster } = await boot(path);
    try {
      const node = cluster.node(0);
      const linker = node.linker;
      const address = (module: string) => linker.plan.modules.find((m) => m.name === module)!.exports.get('f')!;
      const fSeq = address('f.seq');
      const fLwp = address('f.lwp');
      const trampoline = linker.binding('f').trampoline!;
      expect(trampoline).toBeTypeOf('number');
      // Preconditions: the halves differ, and the mixed target is no code of f.
      expect(hi(fSeq)).not.toBe(hi(fLwp));
      const mixed = hi(fSeq) | lo(fLwp);
      expect([fSeq, fLwp]).not.toContain(mixed);
      expect(node.ram.readUInt32BE(mixed - node.ramBase)).toBe(0);
      // The trampoline as written: sethi %hi(f.seq), %g1; jmpl %g1 + %lo(f.seq), %g0; nop.
      expect(node.disassembler.disassemble(isa, node.ram.subarray(trampoline - node.ramBase, trampoline - node.ramBase + 12), trampoline)
        .map((d) => `${d.mnemonic} ${d.operands}`.trim()))
        .toEqual([`sethi ${hex(fSeq >> 10)}, %g1`, `jmp %g1+${hex(lo(fSeq))}`, 'nop']);

      let inside: number | undefined;
      let atSwitch: CoreCounters[] | undefined;
      let ticket: ChangeTicket | undefined;
      let instructionsAtSwitch = 0;
      /** The stopped core's pc, %g1 and count at the boundary after the switch. */
      let after: { pc: number; g1: number; instructions: number } | undefined;

      const summaries = cluster.run({
        quantum: 1,
        onRound: () => {
          if (inside === undefined) {
            const core = node.cores.find((c) => c.status === 'ready' && c.pc === trampoline);
            if (!core) return;
            core.step();
            expect(core.pc).toBe(trampoline + 4);
            expect(Number(core.readRegister('g1') & 0xffff_ffffn)).toBe(hi(fSeq));
            inside = core.coreId;
            instructionsAtSwitch = core.instructions;
            atSwitch = counters(cluster);
            ticket = linker.use('f', 'f.lwp');
          } else if (after === undefined) {
            const core = node.cores[inside]!;
            after = { pc: core.engine.pc(), g1: Number(core.readRegister('g1') & 0xffff_ffffn), instructions: core.instructions };
          }
        },
      });

      expect(inside, 'a core stopped between the sethi and the jmpl').toBeDefined();
      expect(ticket!.done).toBe(true);
      // Its next quantum ran the new sethi again (it resumed at the trampoline's start,
      // not at the jmpl), then jmpl + nop: the trampoline's block took it to f.lwp.
      expect([hex(after!.pc), hex(after!.g1)]).toEqual([hex(fLwp), hex(hi(fLwp))]);
      expect(after!.instructions - instructionsAtSwitch).toBe(3);
      // The rewritten trampoline: sethi %hi(f.lwp), %g1; jmpl %g1 + %lo(f.lwp), %g0; nop.
      expect(node.disassembler.disassemble(isa, node.ram.subarray(trampoline - node.ramBase, trampoline - node.ramBase + 12), trampoline)
        .map((d) => `${d.mnemonic} ${d.operands}`.trim()))
        .toEqual([`sethi ${hex(fLwp >> 10)}, %g1`, `jmp %g1+${hex(lo(fLwp))}`, 'nop']);

      for (const summary of summaries) expect([summary.status, summary.exitStatus, summary.faults]).toEqual(['exited', 0, 0]);
      const final = counters(cluster);
      for (let core = 0; core < CORES; core++) expectSwitchedAfter(atSwitch![core]!, final[core]!, fSeq, isa, LOOPS);
      // The core inside the trampoline had counted its call; that call reached f.lwp.
      const stopped = atSwitch![inside!]!;
      expect(stopped.calls - stopped.seq - stopped.lwp).toBe(1);
      expect(final[inside!]!.seq).toBe(stopped.seq);
    } finally {
      cluster.close();
    }
  });
});
