import type { Command } from '../command.js';
import {
  breakCommand, breakpointsTopic, deleteCommand, disableCommand, enableCommand, tbreakCommand, watchCommand,
} from './breakpoints.js';
import { catchCommand, uncatchCommand } from './catch.js';
import { disasCommand } from './disas.js';
import { continueCommand, coreCommand, quitCommand, stepAllCommand, stepCommand } from './execution.js';
import { helpCommand } from './help.js';
import { infoCommand } from './info.js';
import { channelsTopic, dsmTopic, tasksTopic, txTopic } from './kernel.js';
import { bindCommand, bindingsTopic, relinkCommand } from './linking.js';
import { dumpCommand, examineCommand, writeCommand } from './memory.js';
import { printCommand } from './print.js';
import { registersTopic, regsCommand, setCommand } from './registers.js';
import {
  checkpointCommand, checkpointsTopic, restartCommand, reverseContinueCommand, reverseStepCommand,
} from './reverse.js';
import { finishCommand, nextCommand, untilCommand } from './stepping.js';
import { coresCommand, timeCommand } from './status.js';
import { symbolsTopic } from './symbols.js';

const TOPICS: readonly Command[] = [
  coresCommand, registersTopic, breakpointsTopic, symbolsTopic, bindingsTopic, dsmTopic, txTopic, channelsTopic, tasksTopic,
  checkpointsTopic,
];

/** Every console command, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  coreCommand, coresCommand, stepCommand, nextCommand, untilCommand, finishCommand, stepAllCommand, continueCommand,
  reverseStepCommand, reverseContinueCommand, checkpointCommand, restartCommand,
  breakCommand, tbreakCommand, watchCommand, deleteCommand, enableCommand, disableCommand, catchCommand, uncatchCommand,
  regsCommand, setCommand, printCommand, examineCommand, writeCommand, dumpCommand, disasCommand,
  bindCommand, relinkCommand, timeCommand, infoCommand(TOPICS),
  helpCommand(() => COMMANDS, TOPICS), quitCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name));
}
