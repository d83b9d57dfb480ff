import { DebugError } from '../../session.js';
import type { Command } from '../command.js';

/** `info TOPIC`: the topics are commands of their own, named by their topic word. */
export function infoCommand(topics: readonly Command[]): Command {
  return {
    name: 'info',
    aliases: ['i'],
    usage: `info ${topics.map((topic) => topic.name).join('|')} ...`,
    summary: 'show the state of the cluster (help info lists the topics)',
    // A topic that is also a command of its own (cores) has a usage without `info`.
    details: topics.map((topic) => `${topic.usage.startsWith('info ') ? '' : 'info '}${topic.usage}: ${topic.summary}`),
    complete(context, index, previous) {
      if (index === 0) return topics.map((topic) => topic.name);
      return topics.find((topic) => topic.name === previous[0])?.complete?.(context, index - 1, previous.slice(1)) ?? [];
    },
    run(context, args, format) {
      const topic = topics.find((candidate) => candidate.name === args[0]);
      if (!topic) {
        throw new DebugError(`${args[0] === undefined ? 'info needs a topic' : `no info topic '${args[0]}'`}: ${topics.map((t) => t.name).join(', ')}`);
      }
      return topic.run(context, args.slice(1), format);
    },
  };
}
