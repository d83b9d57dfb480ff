import { reply, type Action } from './action.js';
import {
  attachProcess, endProcess, legacyResume, point, reverseResume, selectThread, threadAlive, vCont,
} from './control-packets.js';
import { E_MALFORMED } from './errors.js';
import { readMemory, writeMemory } from './memory-packets.js';
import { currentThread, readExecFile, readFeatures, SUPPORTED, threadExtraInfo, threadList } from './query-packets.js';
import { readAll, readOne, writeAll, writeOne } from './registers-packets.js';
import { fromHex } from './hex.js';
import { runMonitor } from './monitor.js';
import type { GdbTarget } from './target.js';

/**
 * Queries by name. A name ending in a separator takes what follows as arguments; any
 * other matches alone or followed by ':' (qSupported:..., qAttached:PID).
 */
const QUERIES: readonly [string, (target: GdbTarget, rest: string) => Action][] = [
  ['qSupported', () => reply(SUPPORTED)],
  ['qXfer:features:read:', (target, rest) => reply(readFeatures(target, rest))],
  ['qXfer:exec-file:read:', (target, rest) => reply(readExecFile(target, rest))],
  ['qfThreadInfo', (target) => reply(threadList(target))],
  ['qsThreadInfo', () => reply('l')],
  ['qThreadExtraInfo,', (target, rest) => reply(threadExtraInfo(target, rest))],
  ['qC', (target) => reply(currentThread(target))],
  // The cluster was there before gdb: on quit gdb detaches rather than kills.
  ['qAttached', () => reply('1')],
  ['qOffsets', () => reply('Text=0;Data=0;Bss=0')],
  ['qSymbol:', () => reply('OK')],
  ['qRcmd,', (target, rest) => monitorCommand(target, rest)],
  ['QStartNoAckMode', () => ({ kind: 'no-ack' })],
  ['vCont?', () => reply('vCont;c;C;s;S')],
  ['vCont;', (target, rest) => vCont(target, rest)],
  ['vKill;', (target, rest) => endProcess(target, rest, true)],
  ['vAttach;', (target, rest) => attachProcess(target, rest)],
  ['D;', (target, rest) => endProcess(target, rest, false)],
];

/** `qRcmd,HEX`: gdb's `monitor` line, run as a console command. */
function monitorCommand(target: GdbTarget, hex: string): Action {
  const bytes = fromHex(hex);
  if (bytes === undefined) return reply(E_MALFORMED);
  return { kind: 'monitor', output: runMonitor(target.session, new TextDecoder().decode(bytes)) };
}

/** Packets named by their first character, with the rest as arguments. */
const COMMANDS: Readonly<Record<string, (target: GdbTarget, rest: string) => Action>> = {
  '!': () => reply('OK'),
  '?': (target) => reply(target.lastStop),
  g: (target) => reply(readAll(target)),
  G: (target, rest) => reply(writeAll(target, rest)),
  p: (target, rest) => reply(readOne(target, rest)),
  P: (target, rest) => reply(writeOne(target, rest)),
  m: (target, rest) => reply(readMemory(target, rest)),
  M: (target, rest) => reply(writeMemory(target, rest)),
  H: (target, rest) => selectThread(target, rest.slice(0, 1), rest.slice(1)),
  T: (target, rest) => threadAlive(target, rest),
  c: (target, rest) => legacyResume(target, 'c', rest),
  s: (target, rest) => legacyResume(target, 's', rest),
  C: (target, rest) => legacyResume(target, 'C', rest),
  S: (target, rest) => legacyResume(target, 'S', rest),
  b: (target, rest) => reverseResume(target, rest),
  Z: (target, rest) => point(target, true, rest),
  z: (target, rest) => point(target, false, rest),
  D: (_target, rest) => (rest === '' ? { kind: 'close', reply: 'OK' } : reply(E_MALFORMED)),
  k: () => ({ kind: 'close', reply: undefined }),
};

/** The action for one packet; anything unknown gets the empty reply, as the protocol asks. */
export function dispatch(target: GdbTarget, body: string): Action {
  for (const [name, handler] of QUERIES) {
    if (/[:,;]$/.test(name) ? body.startsWith(name) : body === name || body.startsWith(`${name}:`)) {
      return handler(target, body.slice(name.length));
    }
  }
  if (/^[qQv]/.test(body)) return reply('');
  const handler = COMMANDS[body.slice(0, 1)];
  return handler ? handler(target, body.slice(1)) : reply('');
}
