import type { Tasks } from '../../guest-kernel/index.js';
import { formatTable } from './text-table.js';

interface TaskRow {
  readonly task: number;
  /** 0 for a program's own task. */
  readonly parent: number;
  readonly node: number;
  readonly core: number | null;
  readonly phase: string;
  readonly areas: number;
  readonly pagesFetched: number;
  readonly bytesMoved: number;
  readonly pagesZeroFilled: number;
  readonly pagesUntouched: number | null;
  readonly migrations: number;
  readonly startedNs: number | null;
  readonly exitedNs: number | null;
  /** In decimal (a 64-bit value does not fit a JSON number). */
  readonly exitValue: string | null;
}

interface SpawnRow {
  readonly spawn: number;
  readonly caller: number;
  readonly method: string;
  readonly paging: string;
  readonly tasks: number;
  readonly areas: number;
  readonly calledNs: number;
  /** Virtual ns from the call to the last creation's acknowledgement. */
  readonly creationNs: number | null;
}

export interface TaskSummary {
  readonly tasks: readonly TaskRow[];
  readonly spawns: readonly SpawnRow[];
}

export function summarizeTasks(tasks: Tasks): TaskSummary {
  return {
    tasks: tasks.list().map((task) => ({
      task: task.id, parent: task.parent, node: task.node, core: task.core, phase: task.phase, areas: task.areas,
      pagesFetched: task.pagesFetched, bytesMoved: task.bytesMoved, pagesZeroFilled: task.pagesZeroFilled,
      pagesUntouched: task.pagesUntouched, migrations: task.migrations, startedNs: task.startedNs, exitedNs: task.exitedNs,
      exitValue: task.exitValue === null ? null : task.exitValue.toString(),
    })),
    spawns: tasks.families().map((family) => ({
      spawn: family.id, caller: family.caller, method: family.method, paging: family.paging, tasks: family.tasks,
      areas: family.areas, calledNs: family.calledNs,
      creationNs: family.createdNs === null ? null : family.createdNs - family.calledNs,
    })),
  };
}

const dash = (value: number | string | null): string => (value === null ? '-' : String(value));

/** The tasks part of the boot summary: one row per task, then one per rfork or rspawn. */
export function formatTaskTable(summary: TaskSummary): string {
  const taskHeader = ['task', 'parent', 'node', 'core', 'phase', 'areas', 'fetched', 'bytes', 'zero-filled', 'untouched',
    'migrations', 'started ns', 'exited ns', 'exit value'];
  const taskRows = summary.tasks.map((row) => [
    String(row.task), dash(row.parent || null), String(row.node), dash(row.core), row.phase, String(row.areas),
    String(row.pagesFetched), String(row.bytesMoved), String(row.pagesZeroFilled), dash(row.pagesUntouched),
    String(row.migrations), dash(row.startedNs), dash(row.exitedNs), dash(row.exitValue),
  ]);
  const text = `Tasks\n${formatTable(taskHeader, taskRows, new Set([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]))}`;
  if (summary.spawns.length === 0) return text;
  const spawnHeader = ['spawn', 'caller', 'method', 'paging', 'tasks', 'areas', 'called ns', 'creation ns'];
  const spawnRows = summary.spawns.map((row) => [
    String(row.spawn), String(row.caller), row.method, row.paging, String(row.tasks), String(row.areas),
    String(row.calledNs), dash(row.creationNs),
  ]);
  return `${text}\n\nSpawns\n${formatTable(spawnHeader, spawnRows, new Set([0, 1, 4, 5, 6, 7]))}`;
}
