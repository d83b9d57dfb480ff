import type { BindingSpec } from './binding.js';
import type { TrampolineForm } from './encoders/encoder.js';
import type { IsaName } from '../isa/index.js';
import type { CodeRange } from './link-memory.js';
import type { Mediator } from './mediator/mediator.js';
import type { CompiledModule } from './modules/compiled-module.js';

/** Everything the linker needs to link one node: built once at load time. */
export interface LinkPlan {
  readonly isa: IsaName;
  readonly modules: readonly CompiledModule[];
  readonly bindings: ReadonlyMap<string, BindingSpec>;
  readonly mediator: Mediator;
  /** Code space for trampolines and mediator stubs. */
  readonly area: CodeRange;
  readonly tableAddress: number;
  readonly tableEntries: number;
  /** Trampoline form for mediated symbols that do not choose one. */
  readonly trampolineForm: TrampolineForm;
}
