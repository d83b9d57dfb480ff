import { createInterface, type Interface } from 'node:readline';
import type { DebugSession } from '../session.js';
import { Shell } from './shell.js';

export interface ConsoleOptions {
  /** A terminal: prompt, history, completion, Ctrl-C. Otherwise commands are echoed. */
  readonly interactive: boolean;
}

const HISTORY_SIZE = 1000;
/** Commands an empty line repeats at the prompt, as in gdb. */
const REPEATABLE = /^(s|si|step|stepi|stepall)(\s|$)/;

/**
 * The `clustervm debug` console: reads commands from `input` until `quit` or its end
 * and returns the exit code. Interactive, it prompts with the selected core and offers
 * history and tab completion; otherwise (a script, a pipe) it echoes each command as
 * `> command` before its output, so a transcript reads and compares well.
 */
export async function runConsole(session: DebugSession, input: NodeJS.ReadableStream, output: NodeJS.WritableStream,
                                 options: ConsoleOptions): Promise<number> {
  const shell = new Shell(session, (text) => output.write(text));
  const lines = options.interactive
    ? createInterface({
      input, output, terminal: true, historySize: HISTORY_SIZE, removeHistoryDuplicates: true,
      completer: (line: string) => shell.complete(line),
    })
    : createInterface({ input, terminal: false, crlfDelay: Infinity });
  if (options.interactive) startPrompting(lines, shell, output);
  let previous = '';
  try {
    for await (const line of lines) {
      let command = line.trim();
      if (options.interactive && command === '' && REPEATABLE.test(previous)) command = previous;
      if (!options.interactive && (command === '' || command.startsWith('#'))) continue;
      if (!options.interactive) shell.print(`> ${command}`);
      await shell.execute(command);
      previous = command;
      if (shell.quitting) break;
      if (options.interactive) {
        lines.setPrompt(shell.prompt);
        lines.prompt();
      }
    }
  } finally {
    lines.close();
  }
  return 0;
}

/** Shows the first prompt; Ctrl-C interrupts a running command, or drops the line being typed. */
function startPrompting(lines: Interface, shell: Shell, output: NodeJS.WritableStream): void {
  lines.on('SIGINT', () => {
    if (shell.running) {
      shell.interrupt();
      return;
    }
    // Move to the line's end and kill back to its start, as Ctrl-E Ctrl-U would.
    lines.write(null, { ctrl: true, name: 'e' });
    lines.write(null, { ctrl: true, name: 'u' });
    output.write('^C\n');
    lines.prompt();
  });
  lines.setPrompt(shell.prompt);
  lines.prompt();
}
