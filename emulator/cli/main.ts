import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { FastPathMissingError, ImageError, UnicornMissingError } from '../index.js';
import { crashHookFromEnvironment } from '../supervisor/index.js';
import { HISTORY_EVERY } from '../debugger/index.js';
import { DEFAULT_MAX_EVENTS } from '../perfetto/index.js';
import { loadSnapshotFile, SnapshotError, type CheckpointPlan } from '../snapshot/index.js';
import type { Intensity } from '../../linker/index.js';
import { bindOption, parseBindOptions } from './bind-option.js';
import { bootCommand } from './boot-command.js';
import { crashOption, parseCrashOptions } from './crash-option.js';
import { debugCommand } from './debug-command.js';
import { linkCommand } from './link-command.js';
import { endQuietlyWhenStdoutCloses } from './closed-stdout.js';
import { UsageError, parseFileName, parsePort, parsePositiveInteger } from './usage-error.js';

const EXIT_USAGE = 2;
const EXIT_GUEST = 1;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function buildProgram(exit: { code: number }): Command {
  const program = new Command('clustervm')
    .description('Boot clusters of x86 and SPARC machines on the Unicorn CPU engine')
    .version(packageVersion())
    .exitOverride()
    .showSuggestionAfterError(false);

  program.command('boot')
    .description('boot a cluster image and run it until every core has stopped')
    .argument('<image>', 'cluster image (JSON)')
    .addOption(new Option('--quantum <n>', 'instructions per core per scheduling round').default('10000'))
    .addOption(new Option('--max-instructions <n>', 'stop a core as runaway after this many instructions').default('1000000000'))
    .option('--trace <file>', 'write one line per executed basic block (node, core, pc)')
    .option('--perfetto <file>', 'write a Perfetto trace of the run in virtual time (a track per core, kernel events, message flows)')
    .option('--report <file>', 'write a self-contained HTML report of the run (timeline, DSM heat map, rates, latencies, bindings, faults)')
    .addOption(new Option('--perfetto-max-events <n>', 'stop recording the Perfetto trace and the report\'s timeline after this many events').default(String(DEFAULT_MAX_EVENTS)))
    .addOption(bindOption())
    .option('--gdb <port>', 'wait for gdb on 127.0.0.1:PORT and run under its control, then finish the run')
    .option('--json', 'print the summary (and console lines) as JSON', false)
    .option('--checkpoint-every <ns>', 'write a snapshot each time the virtual time passes a multiple of NS (with --checkpoint-dir)')
    .option('--checkpoint-dir <dir>', 'where --checkpoint-every writes its snapshots (ckpt-0001.cvmsnap, ...)')
    .option('--checkpoint-full-every <k>', 'write every Kth checkpoint whole, the others as the pages changed since the one before (default 8)')
    .addOption(crashOption())
    // The supervisor's, after an engine crash: go on from the run's own last checkpoint.
    .addOption(new Option('--resume-checkpoint <file>').hideHelp())
    .action(async (image: string, opts: BootOptionsText) => {
      const quantum = parsePositiveInteger('--quantum', opts.quantum);
      const beforeQuantum = crashHookFromEnvironment(quantum);
      exit.code = await bootCommand(image, {
        quantum,
        ...(beforeQuantum ? { beforeQuantum } : {}),
        maxInstructions: parsePositiveInteger('--max-instructions', opts.maxInstructions),
        bind: parseBindOptions(opts.bind),
        json: opts.json,
        ...(opts.trace !== undefined ? { trace: parseFileName('--trace', opts.trace) } : {}),
        ...(opts.report !== undefined ? { report: parseFileName('--report', opts.report) } : {}),
        ...(opts.perfetto !== undefined ? {
          perfetto: { file: parseFileName('--perfetto', opts.perfetto), maxEvents: parsePositiveInteger('--perfetto-max-events', opts.perfettoMaxEvents) },
        } : {}),
        ...(opts.gdb !== undefined ? { gdb: parsePort(opts.gdb) } : {}),
        ...checkpointOption(opts),
        crashes: parseCrashOptions(opts.crash),
      });
    });

  program.command('restore')
    .description('resume a snapshot written by boot --checkpoint-every and run it to the end, as boot would have')
    .argument('<snapshot>', 'a snapshot file (ckpt-NNNN.cvmsnap)')
    .option('--quantum <n>', 'instructions per core per scheduling round (default: the snapshotted run\'s)')
    .option('--trace <file>', 'write one line per basic block executed from the snapshot on')
    .option('--json', 'print the summary (and console lines) as JSON', false)
    .action(async (file: string, opts: { quantum?: string; trace?: string; json: boolean }) => {
      const snapshot = loadSnapshotFile(file);
      exit.code = await bootCommand(snapshot.image, {
        quantum: opts.quantum === undefined ? snapshot.quantum : parsePositiveInteger('--quantum', opts.quantum),
        maxInstructions: snapshot.maxInstructions,
        bind: new Map(snapshot.bind as [string, Intensity][]),
        json: opts.json,
        ...(opts.trace !== undefined ? { trace: parseFileName('--trace', opts.trace) } : {}),
        resume: { snapshot, file },
      });
    });

  program.command('debug')
    .description('boot an image stopped before its first instruction and debug it: a console, or gdb with --gdb')
    .argument('<image>', 'cluster image (JSON)')
    .addOption(new Option('--quantum <n>', 'instructions per core per round when continuing').default('1000'))
    .addOption(new Option('--max-instructions <n>', 'stop a core as runaway after this many instructions').default('1000000000'))
    .addOption(bindOption())
    .option('--script <file>', 'run console commands from FILE (stable output, no prompt)')
    .option('--gdb <port>', 'serve the GDB remote protocol on 127.0.0.1:PORT instead of the console')
    .option('--trace <file>', 'write one line per executed basic block (node, core, pc), the same as boot\'s however often the run stops')
    .addOption(new Option('--history-every <n>', 'instructions between the snapshots kept for reverse-stepi, reverse-continue and restart')
      .default(String(HISTORY_EVERY)))
    .action(async (image: string, opts: {
      quantum: string; maxInstructions: string; bind: string[]; script?: string; gdb?: string; trace?: string; historyEvery: string;
    }) => {
      exit.code = await debugCommand(image, {
        quantum: parsePositiveInteger('--quantum', opts.quantum),
        historyEvery: parsePositiveInteger('--history-every', opts.historyEvery),
        maxInstructions: parsePositiveInteger('--max-instructions', opts.maxInstructions),
        bind: parseBindOptions(opts.bind),
        ...(opts.script !== undefined ? { script: parseFileName('--script', opts.script) } : {}),
        ...(opts.gdb !== undefined ? { gdb: parsePort(opts.gdb) } : {}),
        ...(opts.trace !== undefined ? { trace: parseFileName('--trace', opts.trace) } : {}),
      });
    });

  program.command('link')
    .description('link an image as at boot, without running it: modules, symbols, bindings, references')
    .argument('<image>', 'cluster image (JSON)')
    .addOption(bindOption())
    .option('--json', 'print the link report as JSON', false)
    .option('--listing', 'print every byte the linker wrote: call sites, trampolines, mediator stubs, linkage-table entries', false)
    .option('--check <file>', 'compare that listing with a saved one: exit 1 with a diff when they differ')
    .action(async (image: string, opts: { bind: string[]; json: boolean; listing: boolean; check?: string }) => {
      exit.code = await linkCommand(image, {
        bind: parseBindOptions(opts.bind), json: opts.json, listing: opts.listing,
        ...(opts.check !== undefined ? { check: parseFileName('--check', opts.check) } : {}),
      });
    });
  return program;
}

interface BootOptionsText {
  quantum: string; maxInstructions: string; trace?: string; perfetto?: string; report?: string; perfettoMaxEvents: string; bind: string[];
  gdb?: string; json: boolean; checkpointEvery?: string; checkpointDir?: string; checkpointFullEvery?: string; crash: string[]; resumeCheckpoint?: string;
}

/** --checkpoint-every and --checkpoint-dir go together; --resume-checkpoint goes on from one of theirs. */
function checkpointOption(opts: BootOptionsText): { checkpoint?: CheckpointPlan } {
  if (opts.resumeCheckpoint !== undefined && opts.checkpointDir === undefined) throw new UsageError('--resume-checkpoint: needs --checkpoint-dir DIR');
  if (opts.checkpointEvery === undefined && opts.checkpointDir === undefined) {
    if (opts.checkpointFullEvery !== undefined) throw new UsageError('--checkpoint-full-every: needs --checkpoint-every NS');
    return {};
  }
  if (opts.checkpointEvery === undefined) throw new UsageError('--checkpoint-dir: needs --checkpoint-every NS');
  if (opts.checkpointDir === undefined) throw new UsageError('--checkpoint-every: needs --checkpoint-dir DIR');
  const fullEvery = opts.checkpointFullEvery === undefined ? {} : { fullEvery: parsePositiveInteger('--checkpoint-full-every', opts.checkpointFullEvery) };
  return {
    checkpoint: {
      everyNs: parsePositiveInteger('--checkpoint-every', opts.checkpointEvery), dir: parseFileName('--checkpoint-dir', opts.checkpointDir), ...fullEvery,
      ...(opts.resumeCheckpoint !== undefined ? { resume: { file: opts.resumeCheckpoint, snapshot: loadSnapshotFile(opts.resumeCheckpoint) } } : {}),
    },
  };
}

/** Runs the CLI; returns the process exit code instead of exiting. */
export async function main(argv: readonly string[]): Promise<number> {
  endQuietlyWhenStdoutCloses();
  const exit = { code: 0 };
  const program = buildProgram(exit);
  try {
    await program.parseAsync([...argv]);
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof ImageError || error instanceof UsageError || error instanceof SnapshotError) {
      process.stderr.write(`clustervm: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UnicornMissingError || error instanceof FastPathMissingError) {
      process.stderr.write(`clustervm: ${error.message}\n`);
      return EXIT_GUEST;
    }
    throw error;
  }
}
