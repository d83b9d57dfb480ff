// The creation time of one rfork family as the cost model defines it (README, "Remote
// tasking"; guest-kernel/tasks/task-config.ts's TASK_COSTS and TASK_MESSAGE_BYTES),
// computed independently of the kernel: a small discrete-event model of the documented
// protocol, valid for a family whose tasks send nothing while it is being created (no
// page requests, no exit notices) and whose node k holds the task at position k.
//
// - The creator's kernel works createNs + areas * createPerAreaNs per task before the
//   creation message leaves; the new task's node works initNs + areas * initPerAreaNs
//   (crtc: minimumInitNs first, then its own children's creations, then the rest) and
//   replies to the root, whose kernel works replyNs per reply. One kernel per node
//   serialises its work.
// - Flat sequential creates one task after the other's reply; flat concurrent sends every
//   creation at once; crtc creates over a binomial tree (position p creates p + 2^k for
//   every 2^k above p's highest bit).
// - A message takes latency + bytes at the link's bandwidth. Window: messages pipeline.
//   Stop-and-wait: both ends' links are held from the send until the 64-byte
//   acknowledgement is back.
import { TASK_COSTS, TASK_MESSAGE_BYTES } from '../../guest-kernel/tasks/task-config.js';

export type Method = 'flat-sequential' | 'flat-concurrent' | 'crtc';

interface CreationCase {
  readonly method: Method;
  readonly tasks: number;
  readonly areas: number;
  readonly transport: 'window' | 'stop-and-wait';
  readonly latencyNs: number;
  readonly bandwidthMbps: number;
}

const ACK_BYTES = 64;

/** The positions `position` creates with crtc, in order, for `count` tasks. */
function crtcChildren(position: number, count: number): number[] {
  const children: number[] = [];
  let step = 1;
  while (step <= position) step *= 2;
  for (; position + step <= count; step *= 2) children.push(position + step);
  return children;
}

function crtcParent(position: number): number {
  let high = 1;
  while (high * 2 <= position) high *= 2;
  return position - high;
}

type Message = { readonly kind: 'create' | 'created'; readonly position: number; readonly from: number; readonly to: number };
type Event = { readonly kind: 'send' | 'arrive'; readonly message: Message } | { readonly kind: 'init'; readonly position: number };

/** The family's createdNs - calledNs under the cost model. */
export function modelCreationNs(spec: CreationCase): number {
  const { method, tasks, areas } = spec;
  const nodes = tasks + 1;
  const kernelFree = new Array<number>(nodes).fill(0);
  const linkFree = new Array<number>(nodes).fill(0);
  const queue: { at: number; seq: number; event: Event }[] = [];
  let seq = 0;
  const later = (at: number, event: Event) => queue.push({ at, seq: seq++, event });
  const messageNs = (bytes: number) => spec.latencyNs + (bytes * 8 * 1e9) / (spec.bandwidthMbps * 1e6);
  const work = (node: number, at: number, ns: number) => (kernelFree[node] = Math.max(at, kernelFree[node]!) + ns);
  const carry = (from: number, to: number, bytes: number, at: number) => {
    if (spec.transport === 'window') return at + messageNs(bytes);
    const start = Math.max(at, linkFree[from]!, linkFree[to]!);
    const arrival = start + messageNs(bytes);
    linkFree[from] = linkFree[to] = arrival + messageNs(ACK_BYTES);
    return arrival;
  };
  const sendCreate = (position: number, at: number) => {
    const from = method === 'crtc' ? crtcParent(position) : 0;
    later(at, { kind: 'send', message: { kind: 'create', position, from, to: position } });
  };
  const finishInit = (position: number, at: number) => {
    const setUp = TASK_COSTS.initNs + areas * TASK_COSTS.initPerAreaNs - (method === 'crtc' ? TASK_COSTS.minimumInitNs : 0);
    later(work(position, at, setUp), { kind: 'send', message: { kind: 'created', position, from: position, to: 0 } });
  };

  if (method === 'flat-sequential') sendCreate(1, 0);
  else for (const child of method === 'crtc' ? crtcChildren(0, tasks) : Array.from({ length: tasks }, (_, i) => i + 1)) sendCreate(child, 0);

  let pending = tasks;
  for (;;) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = queue.shift();
    if (!next) throw new Error('the model ran out of events before every reply');
    const { at, event } = next;
    if (event.kind === 'init') {
      finishInit(event.position, at);
    } else if (event.kind === 'send') {
      const { message } = event;
      const depart = message.kind === 'create'
        ? work(message.from, at, TASK_COSTS.createNs + areas * TASK_COSTS.createPerAreaNs) : at;
      const bytes = TASK_MESSAGE_BYTES.header + (message.kind === 'create' ? areas * TASK_MESSAGE_BYTES.area : 0);
      later(carry(message.from, message.to, bytes, depart), { kind: 'arrive', message });
    } else if (event.message.kind === 'create') {
      const { position } = event.message;
      if (method !== 'crtc') {
        finishInit(position, at);
      } else {
        const ready = work(position, at, TASK_COSTS.minimumInitNs);
        for (const child of crtcChildren(position, tasks)) sendCreate(child, ready);
        later(ready, { kind: 'init', position });
      }
    } else {
      const done = work(0, at, TASK_COSTS.replyNs);
      pending--;
      if (method === 'flat-sequential' && pending > 0) sendCreate(tasks - pending + 1, done);
      if (pending === 0) return done;
    }
  }
}
