import { unreachable } from '../../isa/index.js';
import type { GuestCore, ThreadState, TrapOutcome } from '../guest-core.js';
import type { KernelHost } from '../kernel-host.js';
import type { KernelEventSink } from '../kernel-events.js';
import { writeSyscallResult } from '../syscall-abi.js';
import { treeChildren, treeParent } from './creation-tree.js';
import {
  MAX_VM_AREAS, TASK_COSTS, TASK_FLAGS, TASK_MESSAGE_BYTES, type CreationMethod, type PagingTree, type TaskConfig,
} from './task-config.js';
import { ABSENT, clearTaskMemory, presentPages, presentState, type VmArea } from './task-memory.js';
import type { TaskEvent, TaskMessage } from './task-events.js';
import { TaskTransport, type TransportState } from './transport.js';

// Mach's remote tasking in the guest kernel (README, "Remote tasking"). A task is an
// address space of VM areas in a core's task area and a thread bound to that core.
// Creating one sends only its description; its pages come from their pager over the
// interconnect the first time the task touches them (copy on reference). Every step
// between nodes is a message through the kernel's transport, sent and received by
// timers in virtual-time order.

type TaskPhase = 'creating' | 'queued' | 'running' | 'migrating' | 'exited' | 'faulted';

interface TaskRecord {
  readonly id: number;
  /** 0 for a program's own task. */
  readonly parent: number;
  readonly family: number | null;
  readonly position: number;
  node: number;
  core: number | null;
  phase: TaskPhase;
  readonly areas: VmArea[];
  /** How many of `areas` came from the template. */
  readonly inheritedAreas: number;
  /** Memory objects the pages come from, newest first. */
  objects: number[];
  pagesFetched: number;
  bytesMoved: number;
  pagesZeroFilled: number;
  pagesUntouched: number | null;
  exitValue: bigint | null;
  /** The exit notice reached the parent's node. */
  exitKnown: boolean;
  readonly createdNs: number;
  startedNs: number | null;
  exitedNs: number | null;
  migrations: number;
  migratingTo: number | null;
  waitingFor: number | null;
  /** Pages on their way: the core waits until the last arrives. */
  outstanding: number;
  readonly entry: number;
  readonly argument: bigint;
  thread: ThreadState | null;
}

interface Family {
  readonly id: number;
  readonly method: CreationMethod;
  readonly paging: PagingTree;
  readonly caller: number;
  readonly root: number;
  readonly nodes: readonly number[];
  readonly firstTask: number;
  readonly areas: number;
  pending: number;
  readonly calledNs: number;
  createdNs: number | null;
}

/** A pager's pages: a fork's template, or what a migrating task held. */
interface MemoryObject {
  readonly id: number;
  readonly home: number;
  /** The family whose tree pages it when hierarchical. */
  readonly family: number | null;
  readonly pages: readonly { readonly page: number; readonly data: Uint8Array }[];
  /** Per page (in `pages` order), the nodes holding a copy to serve. */
  readonly holders: number[][];
}

/** A request a node parked until its own fetch of the page is back. */
interface ParkedRequest {
  readonly object: number;
  readonly page: number;
  readonly node: number;
  readonly from: number;
  readonly task: number | null;
}

/** What the reports and the debugger show of a task. */
export interface TaskInfo {
  readonly id: number;
  readonly parent: number;
  readonly node: number;
  readonly core: number | null;
  readonly phase: TaskPhase;
  readonly areas: number;
  readonly pagesFetched: number;
  readonly bytesMoved: number;
  readonly pagesZeroFilled: number;
  /** Pages of its inherited areas it never touched (once it exited). */
  readonly pagesUntouched: number | null;
  readonly exitValue: bigint | null;
  readonly createdNs: number;
  readonly startedNs: number | null;
  readonly exitedNs: number | null;
  readonly migrations: number;
}

/** One rfork or rspawn: how it created its tasks and how long it took. */
export interface FamilyInfo {
  readonly id: number;
  readonly method: CreationMethod;
  readonly paging: PagingTree;
  readonly caller: number;
  readonly tasks: number;
  readonly areas: number;
  readonly calledNs: number;
  readonly createdNs: number | null;
}

/** The tasks as a snapshot keeps them. */
export interface TasksState {
  readonly registered: boolean;
  readonly tasks: readonly TaskRecord[];
  readonly families: readonly Family[];
  readonly objects: readonly MemoryObject[];
  readonly queues: readonly (readonly number[])[];
  readonly parked: readonly ParkedRequest[];
  readonly transport: TransportState;
}

/** A spawn the caller asked for, checked by the syscall. */
export interface SpawnRequest {
  readonly entry: number;
  readonly argument: bigint;
  readonly nodes: readonly number[];
  readonly method: CreationMethod;
  readonly paging: PagingTree;
  /** rfork: the caller is the template; rspawn: the task starts from nothing. */
  readonly fork: boolean;
}

export class Tasks {
  private registered = false;
  private readonly tasks: TaskRecord[] = [];
  private readonly familyList: Family[] = [];
  private readonly objects: MemoryObject[] = [];
  private readonly queues: number[][];
  private readonly parked: ParkedRequest[] = [];
  readonly transport: TaskTransport;
  private readonly pages: number;
  private readonly stackStartPage: number;

  constructor(readonly config: TaskConfig, private readonly host: KernelHost, private readonly emit: KernelEventSink) {
    this.transport = new TaskTransport(host, config.transport);
    this.queues = Array.from({ length: host.nodeCount }, () => []);
    this.pages = config.bytes / config.pageBytes;
    this.stackStartPage = (config.bytes - config.stackBytes) / config.pageBytes;
  }

  saveState(): TasksState {
    return structuredClone({
      registered: this.registered, tasks: this.tasks, families: this.familyList, objects: this.objects,
      queues: this.queues, parked: this.parked, transport: this.transport.saveState(),
    });
  }

  loadState(state: TasksState): void {
    const copy = structuredClone(state);
    this.registered = copy.registered;
    this.tasks.splice(0, this.tasks.length, ...copy.tasks);
    this.familyList.splice(0, this.familyList.length, ...copy.families);
    this.objects.splice(0, this.objects.length, ...copy.objects);
    copy.queues.forEach((queue, node) => this.queues[node]!.splice(0, this.queues[node]!.length, ...queue));
    this.parked.splice(0, this.parked.length, ...copy.parked);
    this.transport.loadState(copy.transport);
  }

  list(): TaskInfo[] {
    this.register();
    return this.tasks.map((task) => ({
      id: task.id, parent: task.parent, node: task.node, core: task.core, phase: this.phaseOf(task), areas: task.areas.length,
      pagesFetched: task.pagesFetched, bytesMoved: task.bytesMoved, pagesZeroFilled: task.pagesZeroFilled,
      pagesUntouched: task.pagesUntouched, exitValue: task.exitValue, createdNs: task.createdNs,
      startedNs: task.startedNs, exitedNs: task.exitedNs, migrations: task.migrations,
    }));
  }

  /** A program's task ends with its core (a spawned task's end goes through the kernel). */
  private phaseOf(task: TaskRecord): TaskPhase {
    const ended = task.phase === 'running' ? this.coreOf(task)?.ended : undefined;
    return ended ?? task.phase;
  }

  families(): FamilyInfo[] {
    return this.familyList.map((family) => ({
      id: family.id, method: family.method, paging: family.paging, caller: family.caller, tasks: family.nodes.length,
      areas: family.areas, calledNs: family.calledNs, createdNs: family.createdNs,
    }));
  }

  /** Every core a program starts on runs that program's task: tasks 1, 2, ... in node and core order. */
  private register(): void {
    if (this.registered) return;
    this.registered = true;
    for (const core of this.host.cores()) {
      if (!core.idle) this.tasks.push(this.newTask(0, null, 0, core.nodeId, core.coreId, 'running', [], 0, [], 0, 0n, 0));
    }
  }

  private newTask(parent: number, family: number | null, position: number, node: number, core: number | null, phase: TaskPhase,
                  areas: VmArea[], inheritedAreas: number, objects: number[], entry: number, argument: bigint, atNs: number): TaskRecord {
    return {
      id: this.tasks.length + 1, parent, family, position, node, core, phase, areas, inheritedAreas, objects,
      pagesFetched: 0, bytesMoved: 0, pagesZeroFilled: 0, pagesUntouched: null, exitValue: null, exitKnown: false,
      createdNs: atNs, startedNs: phase === 'running' ? atNs : null, exitedNs: null, migrations: 0, migratingTo: null,
      waitingFor: null, outstanding: 0, entry, argument, thread: null,
    };
  }

  /** The task running on `core`, if any. */
  taskOn(core: GuestCore): TaskRecord | undefined {
    this.register();
    return this.tasks.find((task) => task.core === core.coreId && task.node === core.nodeId && task.phase === 'running');
  }

  /** Whether `core` runs a spawned task (not a program's own): its exit ends the task, not the core. */
  runsSpawnedTask(core: GuestCore): boolean {
    return (this.taskOn(core)?.parent ?? 0) !== 0;
  }

  /** task_map: a new VM area of `bytes` for the caller's task; its address. */
  map(core: GuestCore, bytes: number, prot: number): { address: number } | { error: string } {
    const task = this.taskOn(core);
    if (!task) return { error: 'the core runs no task' };
    if (task.areas.length >= MAX_VM_AREAS) return { error: `a task has at most ${MAX_VM_AREAS} VM areas` };
    const rounded = Math.ceil(bytes / this.config.pageBytes) * this.config.pageBytes;
    const last = task.areas.at(-1);
    const start = last ? last.start + last.bytes : this.config.base;
    const limit = this.config.base + this.stackStartPage * this.config.pageBytes;
    if (rounded === 0 || start + rounded > limit) {
      return { error: `${bytes} bytes do not fit the task area below its stack (0x${start.toString(16)} to 0x${limit.toString(16)})` };
    }
    task.areas.push({ start, bytes: rounded, prot });
    return { address: start };
  }

  /**
   * An access to a page the C check did not let through: fetched from its pager (the
   * core waits at its next block start for the reply), zero-filled, or a fault.
   */
  access(core: GuestCore, address: number, size: number, write: boolean): TrapOutcome | undefined {
    const task = this.taskOn(core);
    const memory = core.taskMemory!;
    const where = `0x${address.toString(16)}`;
    if (!task) return { action: 'fault', reason: `${write ? 'write' : 'read'} of the task area at ${where} on a core that runs no task` };
    const first = this.pageOf(address);
    const last = this.pageOf(Math.min(address + size, this.config.base + this.config.bytes) - 1);
    let waits = false;
    for (let page = first; page <= last; page++) {
      const prot = this.protectionOf(task, page);
      if (prot === undefined) {
        return { action: 'fault', reason: `${write ? 'write' : 'read'} at ${where} outside task ${task.id}'s VM areas` };
      }
      const state = presentState(prot);
      if (write && !(prot & TASK_FLAGS.TASK_WRITE)) return { action: 'fault', reason: `write to task ${task.id}'s read-only VM area at ${where}` };
      if (memory.present[page] !== ABSENT) continue;
      memory.present[page] = state;
      const source = this.sourceOf(task, page);
      if (!source) {
        task.pagesZeroFilled++;
        continue;
      }
      // The bytes are the pager's, frozen when the object was made: copying them now is
      // what the reply will bring, and the core does not run until it is here.
      memory.bytes.set(source.data, page * this.config.pageBytes);
      task.pagesFetched++;
      task.outstanding++;
      waits = true;
      const pager = this.pagerOf(source.object, task.node);
      this.send({ kind: 'page-request', object: source.object.id, page, from: task.node, to: pager, task: task.id }, core.virtualTimeNs());
    }
    return waits ? { action: 'block' } : undefined;
  }

  private pageOf(address: number): number {
    return Math.floor((address - this.config.base) / this.config.pageBytes);
  }

  private protectionOf(task: TaskRecord, page: number): number | undefined {
    if (page >= this.stackStartPage && page < this.pages) return TASK_FLAGS.TASK_READ | TASK_FLAGS.TASK_WRITE;
    const address = this.config.base + page * this.config.pageBytes;
    return task.areas.find((area) => address >= area.start && address < area.start + area.bytes)?.prot;
  }

  private sourceOf(task: TaskRecord, page: number): { object: MemoryObject; data: Uint8Array } | undefined {
    for (const id of task.objects) {
      const object = this.objects[id]!;
      const held = object.pages.find((entry) => entry.page === page);
      if (held) return { object, data: held.data };
    }
    return undefined;
  }

  /** Who serves `object`'s pages to `node`: its home, or with a hierarchical tree the node's parent in it. */
  private pagerOf(object: MemoryObject, node: number): number {
    const family = object.family === null ? undefined : this.familyList[object.family];
    if (!family || family.paging === 'flat' || node === object.home) return object.home;
    const position = family.nodes.indexOf(node) + 1;
    const parent = treeParent(family.method, position);
    return parent === 0 ? family.root : family.nodes[parent - 1]!;
  }

  /** rfork and rspawn: the family's first task id once every creation is acknowledged. */
  spawn(core: GuestCore, request: SpawnRequest): TrapOutcome {
    const caller = this.taskOn(core);
    if (!caller) return { action: 'fault', reason: 'the core runs no task' };
    const atNs = core.virtualTimeNs();
    const family: Family = {
      id: this.familyList.length, method: request.method, paging: request.paging, caller: caller.id, root: core.nodeId,
      nodes: request.nodes, firstTask: this.tasks.length + 1, areas: request.fork ? caller.areas.length : 0,
      pending: request.nodes.length, calledNs: atNs, createdNs: null,
    };
    this.familyList.push(family);
    let objects: number[] = [];
    let areas: VmArea[] = [];
    if (request.fork) {
      const template = presentPages(core.taskMemory!, this.config.pageBytes).filter((entry) => entry.page < this.stackStartPage);
      const object: MemoryObject = {
        id: this.objects.length, home: core.nodeId, family: family.id, pages: template,
        holders: template.map(() => [core.nodeId]),
      };
      this.objects.push(object);
      objects = [object.id, ...caller.objects];
      areas = caller.areas;
    }
    request.nodes.forEach((node, i) => {
      const task = this.newTask(caller.id, family.id, i + 1, node, null, 'creating', areas.map((area) => ({ ...area })),
        areas.length, objects, request.entry, request.argument, atNs);
      this.tasks.push(task);
    });
    this.emit({ kind: 'task-spawn', node: core.nodeId, core: core.coreId, first: family.firstTask, count: request.nodes.length,
      method: request.method });
    if (request.method === 'flat-sequential') this.sendCreate(family, 1, atNs);
    else for (const child of treeChildren(request.method, 0, request.nodes.length)) this.sendCreate(family, child, atNs);
    return { action: 'block' };
  }

  private nodeAt(family: Family, position: number): number {
    return position === 0 ? family.root : family.nodes[position - 1]!;
  }

  private sendCreate(family: Family, position: number, atNs: number): void {
    const from = this.nodeAt(family, treeParent(family.method, position));
    this.send({ kind: 'create', family: family.id, position, from, to: this.nodeAt(family, position) }, atNs);
  }

  /** task_wait: the child's exit value, at once or once its exit notice is here. */
  wait(core: GuestCore, child: number): TrapOutcome {
    const caller = this.taskOn(core);
    const task = this.tasks[child - 1];
    if (!caller || !task || task.parent !== caller.id) {
      return { action: 'fault', reason: `task_wait: task ${child} is not a child of ${caller ? `task ${caller.id}` : 'this core'}` };
    }
    if (task.exitKnown && task.phase === 'faulted') return { action: 'fault', reason: this.faultOf(task) };
    if (task.exitKnown) {
      writeSyscallResult(core, task.exitValue!, true);
      return { action: 'resume' };
    }
    caller.waitingFor = child;
    return { action: 'block' };
  }

  private faultOf(task: TaskRecord): string {
    return `task_wait: task ${task.id} faulted on n${task.node}.c${task.core} (its fault line says why): it has no exit value`;
  }

  /**
   * A spawned task's core faulted: the task ends without a value (its core stays as it
   * stopped, for the report), and the notice makes its parent's wait fault rather than
   * wait for ever or return a value nobody computed.
   */
  faulted(core: GuestCore): void {
    const task = this.taskOn(core);
    if (!task || task.parent === 0) return;
    const atNs = core.virtualTimeNs();
    task.phase = 'faulted';
    task.exitedNs = atNs;
    this.send({ kind: 'exit', task: task.id, from: task.node, to: this.tasks[task.parent - 1]!.node }, atNs);
  }

  /** A spawned task's end: its value goes to its parent, its core to the next task. */
  exit(core: GuestCore, value: bigint): TrapOutcome {
    const task = this.taskOn(core)!;
    const atNs = core.virtualTimeNs();
    const memory = core.taskMemory!;
    // A page it held on a core it migrated from was touched too: each migration put its
    // pages in a memory object at the head of task.objects (one per migration).
    const carried = task.objects.slice(0, task.migrations).map((id) => this.objects[id]!);
    const touchedBefore = (page: number) => carried.some((object) => object.pages.some((entry) => entry.page === page));
    let untouched = 0;
    for (const area of task.areas.slice(0, task.inheritedAreas)) {
      for (let page = this.pageOf(area.start); page < this.pageOf(area.start + area.bytes); page++) {
        if (memory.present[page] === ABSENT && !touchedBefore(page)) untouched++;
      }
    }
    task.pagesUntouched = untouched;
    task.exitValue = value;
    task.exitedNs = atNs;
    task.phase = 'exited';
    task.core = null;
    clearTaskMemory(memory);
    this.emit({ kind: 'task-exit', node: core.nodeId, core: core.coreId, task: task.id, value });
    this.later(atNs, { kind: 'release', node: core.nodeId, core: core.coreId, migrating: null });
    const parent = this.tasks[task.parent - 1]!;
    this.send({ kind: 'exit', task: task.id, from: task.node, to: parent.node }, atNs);
    return { action: 'idle' };
  }

  /** migrate: the task leaves its core now and goes on on `node`; what it held is paged from here. */
  migrate(core: GuestCore, node: number): TrapOutcome {
    const task = this.taskOn(core)!;
    if (node === task.node) return { action: 'resume' };
    const memory = core.taskMemory!;
    const held = presentPages(memory, this.config.pageBytes);
    const object: MemoryObject = { id: this.objects.length, home: task.node, family: null, pages: held, holders: held.map(() => [task.node]) };
    this.objects.push(object);
    task.objects = [object.id, ...task.objects];
    task.migrations++;
    task.migratingTo = node;
    task.phase = 'migrating';
    task.core = null;
    clearTaskMemory(memory);
    this.emit({ kind: 'task-migrate', node: core.nodeId, core: core.coreId, task: task.id, to: node });
    this.later(core.virtualTimeNs(), { kind: 'release', node: core.nodeId, core: core.coreId, migrating: task.id });
    return { action: 'idle' };
  }

  private later(atNs: number, event: TaskEvent): void {
    this.host.schedule(atNs, { kind: 'task', atNs, event });
  }

  private send(message: TaskMessage, atNs: number): void {
    this.later(atNs, { kind: 'send', message });
  }

  /** A tasking timer came due. */
  fire(event: TaskEvent, atNs: number): void {
    switch (event.kind) {
      case 'send': return this.transmit(event.message, atNs);
      case 'arrive': return this.receive(event.message, atNs);
      case 'init': return this.finishInit(this.familyList[event.family]!, event.position, atNs);
      case 'release': return this.release(event.node, event.core, event.migrating, atNs);
      default: return unreachable(event);
    }
  }

  private bytesOf(message: TaskMessage): number {
    const { header, area, thread } = TASK_MESSAGE_BYTES;
    switch (message.kind) {
      case 'create': return header + this.familyList[message.family]!.areas * area;
      case 'migrate': return header + this.tasks[message.task - 1]!.areas.length * area + thread;
      case 'page': return header + this.config.pageBytes;
      case 'created':
      case 'page-request':
      case 'exit':
        return header;
      default: return unreachable(message);
    }
  }

  /** The sender's kernel prepares the message (a creation copies the map), then the transport carries it. */
  private transmit(message: TaskMessage, atNs: number): void {
    let departNs = atNs;
    if (message.kind === 'create') {
      const areas = this.familyList[message.family]!.areas;
      departNs = this.transport.work(message.from, atNs, TASK_COSTS.createNs + areas * TASK_COSTS.createPerAreaNs);
    }
    const arrival = this.transport.send(message.from, message.to, this.bytesOf(message), departNs);
    this.emit({ kind: 'task-message', node: message.from, to: message.to, message: message.kind, sentNs: departNs, arrivedNs: arrival });
    this.later(arrival, { kind: 'arrive', message });
  }

  private receive(message: TaskMessage, atNs: number): void {
    switch (message.kind) {
      case 'create': return this.created(this.familyList[message.family]!, message.position, atNs);
      case 'created': return this.acknowledged(this.familyList[message.family]!, atNs);
      case 'page-request': return this.servePage(message.object, message.page, message.to, message.from, message.task, atNs);
      case 'page': return this.pageArrived(message.object, message.page, message.to, message.task, atNs);
      case 'exit': return this.exitNoticed(this.tasks[message.task - 1]!, atNs);
      case 'migrate': return this.adopt(this.tasks[message.task - 1]!, atNs);
      default: return unreachable(message);
    }
  }

  /**
   * A creation reached its node. Flat methods set the task up and reply; crtc sets up
   * only the minimum, creates the node's own children first, then finishes (`init`).
   */
  private created(family: Family, position: number, atNs: number): void {
    const node = this.nodeAt(family, position);
    if (family.method !== 'crtc') return this.finishInit(family, position, atNs);
    const readyNs = this.transport.work(node, atNs, TASK_COSTS.minimumInitNs);
    for (const child of treeChildren(family.method, position, family.nodes.length)) this.sendCreate(family, child, readyNs);
    this.later(readyNs, { kind: 'init', family: family.id, position });
  }

  private finishInit(family: Family, position: number, atNs: number): void {
    const node = this.nodeAt(family, position);
    const setUp = TASK_COSTS.initNs + family.areas * TASK_COSTS.initPerAreaNs
      - (family.method === 'crtc' ? TASK_COSTS.minimumInitNs : 0);
    const doneNs = this.transport.work(node, atNs, setUp);
    this.send({ kind: 'created', family: family.id, position, from: node, to: family.root }, doneNs);
    this.place(this.tasks[family.firstTask + position - 2]!, doneNs);
  }

  private acknowledged(family: Family, atNs: number): void {
    const doneNs = this.transport.work(family.root, atNs, TASK_COSTS.replyNs);
    family.pending--;
    const next = family.nodes.length - family.pending + 1;
    if (family.method === 'flat-sequential' && next <= family.nodes.length) this.sendCreate(family, next, doneNs);
    if (family.pending > 0) return;
    family.createdNs = doneNs;
    const caller = this.tasks[family.caller - 1]!;
    caller.waitingFor = null;
    this.resumeWith(caller, BigInt(family.firstTask), doneNs);
  }

  /** Writes a blocked task's syscall result and wakes its core at `atNs`. */
  private resumeWith(task: TaskRecord, value: bigint, atNs: number): void {
    const core = this.coreOf(task);
    if (!core) return;
    writeSyscallResult(core, value, true);
    core.sleepUntil(atNs);
    this.host.schedule(atNs, { kind: 'wake', node: core.nodeId, core: core.coreId, atNs });
  }

  private coreOf(task: TaskRecord): GuestCore | undefined {
    if (task.core === null) return undefined;
    return this.host.cores().find((core) => core.nodeId === task.node && core.coreId === task.core);
  }

  /** Puts a created or migrated task on an idle core of its node, or in the node's queue. */
  private place(task: TaskRecord, atNs: number): void {
    const core = this.host.cores().find((candidate) => candidate.nodeId === task.node && candidate.idle);
    if (!core) {
      task.phase = 'queued';
      this.queues[task.node]!.push(task.id);
      return;
    }
    this.startOn(task, core, atNs);
  }

  private startOn(task: TaskRecord, core: GuestCore, atNs: number): void {
    task.core = core.coreId;
    task.phase = 'running';
    clearTaskMemory(core.taskMemory!);
    const migrated = task.thread !== null;
    if (task.thread) {
      core.adoptThread(task.thread, atNs);
      task.thread = null;
      writeSyscallResult(core, 0n);
    } else {
      task.startedNs = atNs;
      core.startTask(task.entry, task.argument, this.config.base + this.config.bytes, atNs);
    }
    this.emit({ kind: 'task-start', node: core.nodeId, core: core.coreId, task: task.id, migrated, atNs });
    this.host.schedule(atNs, { kind: 'wake', node: core.nodeId, core: core.coreId, atNs });
  }

  private release(node: number, coreId: number, migrating: number | null, atNs: number): void {
    const core = this.host.cores().find((candidate) => candidate.nodeId === node && candidate.coreId === coreId)!;
    if (migrating !== null) {
      const task = this.tasks[migrating - 1]!;
      task.thread = core.threadState();
      this.send({ kind: 'migrate', task: task.id, from: node, to: task.migratingTo! }, atNs);
    }
    const next = this.queues[node]!.shift();
    if (next !== undefined) this.startOn(this.tasks[next - 1]!, core, atNs);
  }

  private adopt(task: TaskRecord, atNs: number): void {
    const doneNs = this.transport.work(task.migratingTo!, atNs, TASK_COSTS.adoptNs + task.areas.length * TASK_COSTS.initPerAreaNs);
    task.node = task.migratingTo!;
    task.migratingTo = null;
    this.place(task, doneNs);
  }

  private exitNoticed(task: TaskRecord, atNs: number): void {
    const parent = this.tasks[task.parent - 1]!;
    const doneNs = this.transport.work(parent.node, atNs, TASK_COSTS.replyNs);
    task.exitKnown = true;
    if (parent.waitingFor !== task.id) return;
    parent.waitingFor = null;
    if (task.phase === 'faulted') this.coreOf(parent)?.haltWithFault(this.faultOf(task));
    else this.resumeWith(parent, task.exitValue!, doneNs);
  }

  private holdsPage(object: MemoryObject, page: number, node: number): boolean {
    const index = object.pages.findIndex((entry) => entry.page === page);
    return object.holders[index]!.includes(node);
  }

  /** A page request reached `node`: served from its copy, or parked until the node has fetched one. */
  private servePage(objectId: number, page: number, node: number, from: number, task: number | null, atNs: number): void {
    const object = this.objects[objectId]!;
    if (this.holdsPage(object, page, node)) {
      const doneNs = this.transport.work(node, atNs, TASK_COSTS.pageServeNs);
      this.send({ kind: 'page', object: objectId, page, from: node, to: from, task }, doneNs);
      return;
    }
    const fetching = this.parked.some((entry) => entry.object === objectId && entry.page === page && entry.node === node);
    this.parked.push({ object: objectId, page, node, from, task });
    if (!fetching) this.send({ kind: 'page-request', object: objectId, page, from: node, to: this.pagerOf(object, node), task: null }, atNs);
  }

  private pageArrived(objectId: number, page: number, node: number, taskId: number | null, atNs: number): void {
    const object = this.objects[objectId]!;
    const holders = object.holders[object.pages.findIndex((entry) => entry.page === page)]!;
    if (!holders.includes(node)) holders.push(node);
    if (taskId === null) {
      const waiting = this.parked.filter((entry) => entry.object === objectId && entry.page === page && entry.node === node);
      this.parked.splice(0, this.parked.length, ...this.parked.filter((entry) => !waiting.includes(entry)));
      for (const request of waiting) this.servePage(objectId, page, node, request.from, request.task, atNs);
      return;
    }
    const task = this.tasks[taskId - 1]!;
    task.bytesMoved += this.config.pageBytes;
    task.outstanding--;
    if (task.outstanding > 0) return;
    const core = this.coreOf(task);
    if (!core) return;
    core.sleepUntil(atNs);
    core.wake(atNs);
  }
}
