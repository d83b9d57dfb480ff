import type { Core } from '../../machine/index.js';
import type { CoreRef, DebugSession } from '../session.js';
import type { TargetLayout } from './layout.js';
import { GdbPoints } from './points.js';
import { ProcessTable } from './processes.js';
import { SIGTRAP, threadStop } from './stop-reply.js';
import { LAYOUTS } from './target-xml.js';
import type { ThreadSelector } from './thread-id.js';

/** What one gdb connection has chosen and inserted, over the session it debugs. */
export class GdbTarget {
  readonly processes: ProcessTable;
  readonly points: GdbPoints;
  /** The thread `g`, `m`, `Z` and friends apply to (Hg). */
  general: CoreRef = { node: 0, core: 0 };
  /** The threads legacy `c` and `s` resume (Hc). */
  resumeSelector: ThreadSelector = { pid: -1, tid: -1 };
  /** The last stop reply, which `?` repeats. */
  lastStop: string;

  constructor(readonly session: DebugSession) {
    this.processes = new ProcessTable(session);
    this.points = new GdbPoints(session);
    this.lastStop = threadStop(SIGTRAP, this.general);
  }

  core(ref: CoreRef = this.general): Core {
    return this.session.core(ref);
  }

  layout(ref: CoreRef = this.general): TargetLayout {
    return LAYOUTS[this.core(ref).isa];
  }

  /** The general thread, moved to a live one when its process has ended. */
  generalThread(): CoreRef | undefined {
    if (this.processes.isLive(this.general.node)) return this.general;
    const first = this.processes.threads()[0];
    if (first) this.general = first;
    return first;
  }
}
