import { DebugError } from '../../session.js';
import type { Command, ConsoleContext } from '../command.js';

function explain(context: ConsoleContext, command: Command): void {
  context.print(command.usage);
  if (command.aliases?.length) context.print(`aliases: ${command.aliases.join(', ')}`);
  context.print(command.summary);
  for (const line of command.details ?? []) context.print(line);
}

/** `help` lists every command; `help NAME` explains one, `help info TOPIC` an info topic. */
export function helpCommand(commands: () => readonly Command[], topics: readonly Command[]): Command {
  return {
    name: 'help',
    aliases: ['h', '?'],
    usage: 'help [COMMAND]',
    summary: 'list the commands, or explain one',
    complete: (_context, index, previous) => (index === 0 ? commands().map((command) => command.name)
      : index === 1 && previous[0] === 'info' ? topics.map((topic) => topic.name) : []),
    run(context, args) {
      if (args.length === 0) {
        const width = Math.max(...commands().map((command) => command.usage.length));
        for (const command of commands()) context.print(`${command.usage.padEnd(width)}  ${command.summary}`);
        return;
      }
      const command = commands().find((candidate) => candidate.name === args[0] || candidate.aliases?.includes(args[0]!));
      const topic = command?.name === 'info' && args.length === 2 ? topics.find((t) => t.name === args[1]) : undefined;
      if (command?.name === 'info' && args.length === 2 && !topic) throw new DebugError(`help: no info topic '${args[1]}'`);
      if (!command || args.length > 2 || (args.length === 2 && !topic)) throw new DebugError(`help: no command '${args.join(' ')}'`);
      explain(context, topic ?? command);
    },
  };
}
