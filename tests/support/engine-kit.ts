import { Engine, type RunResult } from '../../emulator/index.js';
import { Disassembler } from '../../linker/index.js';
import type { IsaName } from '../../isa/index.js';

const disassembler = await Disassembler.load();

/**
 * An engine as a core opens it: a run that stops inside an x86 block counts that
 * block's instructions with a decoder, which a bare engine does not have.
 */
export function openEngine(isa: IsaName): Engine {
  const engine = Engine.open(isa);
  engine.x86Decoder = (start, end) => {
    const instructions = disassembler.disassemble(isa, engine.readMemory(start, end - start + 15), start)
      .filter((insn) => insn.address < end);
    const last = instructions[instructions.length - 1];
    return { starts: instructions.map((insn) => insn.address), end: last ? last.address + last.size : start };
  };
  return engine;
}

/**
 * Runs exactly `steps` instructions one step at a time, as the debugger does, until
 * one of them ends the run (a fault, or a hook that stopped the engine).
 */
export function runSteps(engine: Engine, begin: number, steps: number): Pick<RunResult, 'code' | 'counted'> {
  let counted = 0;
  let pc = begin;
  for (let step = 0; step < steps; step++) {
    const run = engine.step(pc);
    counted += run.counted;
    if (run.code !== 0 || run.counted === 0) return { code: run.code, counted };
    pc = engine.pc();
  }
  return { code: 0, counted };
}
