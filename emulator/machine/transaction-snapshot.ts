import type { Engine, EngineContext } from '../engine/index.js';

/** CF, PF, AF, ZF, SF, DF and OF: what guest code sets. */
const GUEST_EFLAGS = 0x0cd5n;
/** Bit 1 of EFLAGS always reads as one. */
const EFLAGS_RESERVED_ONE = 0x2n;

/**
 * The registers a core had when its transaction began, and where it goes on: an abort
 * puts them back. Where Unicorn saves no context (sparc64 in 2.0.1), the snapshot keeps
 * the registers by name instead.
 */
export class TransactionSnapshot {
  private start: { pc: number; context?: EngineContext; registers?: Map<string, bigint> } | undefined;

  constructor(private readonly engine: Engine) {}

  save(resumePc: number): void {
    if (!this.engine.isa.savesContext) {
      const registers = new Map<string, bigint>();
      for (const name of Object.keys(this.engine.isa.registers)) {
        // SPARC's %g0 reads as zero whatever is written.
        if (name !== this.engine.isa.pcRegister && name !== 'g0') registers.set(name, this.engine.readRegister(name));
      }
      this.start = { pc: resumePc, registers };
      return;
    }
    // x86 keeps its flags lazily, as the last flag-setting operation and its operands;
    // without a hook on every instruction Unicorn does not bring them up to date before
    // a trap hook runs, so they are read out (computed) and written back before saving.
    // Only the flags a guest owns are: the computation can also set system bits from a
    // stale operand (VM, IOPL and ID came back once, and the next `int` was a #GP).
    if (this.engine.isa.family === 'x86') {
      this.engine.writeRegister('eflags', (this.engine.readRegister('eflags') & GUEST_EFLAGS) | EFLAGS_RESERVED_ONE);
    }
    const context = this.start?.context;
    if (context) this.engine.saveContextInto(context);
    this.start = { pc: resumePc, context: context ?? this.engine.saveContext() };
  }

  /**
   * The start a snapshot keeps, by name whatever the ISA (a context cannot leave its
   * engine); `read` reads the registers a snapshot keeps, from the engine as it is.
   */
  saveState(read: () => [string, bigint][]): { pc: number; registers: [string, bigint][] } | null {
    const start = this.start;
    if (!start) return null;
    if (!start.context) return { pc: start.pc, registers: [...start.registers ?? []] };
    const current = this.engine.saveContext();
    try {
      this.engine.restoreContext(start.context);
      return { pc: start.pc, registers: read() };
    } finally {
      this.engine.restoreContext(current);
      current.free();
    }
  }

  /** sparc32: the register window the transaction began in (undefined without one). */
  startWindow(): number | undefined {
    const context = this.start?.context;
    if (!context) return undefined;
    const current = this.engine.saveContext();
    try {
      this.engine.restoreContext(context);
      return this.engine.sparcWindow();
    } finally {
      this.engine.restoreContext(current);
      current.free();
    }
  }

  loadState(state: { readonly pc: number; readonly registers: readonly (readonly [string, bigint])[] } | null): void {
    this.free();
    this.start = state ? { pc: state.pc, registers: new Map(state.registers) } : undefined;
  }

  /** Restores the registers; returns the pc to resume at. */
  restore(): number {
    const start = this.start;
    if (!start) throw new Error('no transaction start to roll back to');
    if (start.context) this.engine.restoreContext(start.context);
    for (const [name, value] of start.registers ?? []) this.engine.writeRegister(name, value);
    return start.pc;
  }

  free(): void {
    this.start?.context?.free();
  }
}
