import { E_MALFORMED, E_NOT_FOUND } from './errors.js';
import { parseHexNumber, textToHex } from './hex.js';
import { escapeBinary } from './packet-reader.js';
import { nodeExecutablePath } from './node-executable.js';
import { targetXml } from './target-xml.js';
import type { GdbTarget } from './target.js';
import { formatThreadId, parseThreadId } from './thread-id.js';

/** The largest packet the stub takes, as qSupported advertises it (hex there). */
export const PACKET_SIZE = 0x4000;

export const SUPPORTED = [
  `PacketSize=${PACKET_SIZE.toString(16)}`, 'qXfer:features:read+', 'multiprocess+', 'QStartNoAckMode+',
  'swbreak+', 'vContSupported+', 'qXfer:exec-file:read+', 'ReverseStep+', 'ReverseContinue+',
].join(';');

/**
 * `qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH`: the part of the document `documentOf` gives
 * for the annex (undefined: no such annex), 'l' on its last part.
 */
function readXfer(args: string, documentOf: (annex: string) => string | undefined): string {
  const match = /^([^:]*):([0-9a-f]+),([0-9a-f]+)$/i.exec(args);
  const offset = match ? parseHexNumber(match[2]!) : undefined;
  const length = match ? parseHexNumber(match[3]!) : undefined;
  if (!match || offset === undefined || length === undefined) return E_MALFORMED;
  const document = documentOf(match[1]!);
  if (document === undefined) return E_NOT_FOUND;
  const chunk = document.slice(offset, offset + length);
  return `${offset + length >= document.length ? 'l' : 'm'}${escapeBinary(chunk)}`;
}

/** `qXfer:features:read`: the general thread's process's description. */
export function readFeatures(target: GdbTarget, args: string): string {
  return readXfer(args, (annex) => (annex === 'target.xml' ? targetXml(target.layout()) : undefined));
}

/** `qXfer:exec-file:read:PID`: the path of the process's stand-in executable (node-executable.ts). */
export function readExecFile(target: GdbTarget, args: string): string {
  return readXfer(args, (annex) => {
    const node = annex === '' ? target.general.node : (parseHexNumber(annex) ?? 0) - 1;
    return target.processes.isLive(node) ? nodeExecutablePath(target.session.cluster.node(node)) : undefined;
  });
}

/** qfThreadInfo: every core of every live node, in one reply (qsThreadInfo ends the list). */
export function threadList(target: GdbTarget): string {
  const threads = target.processes.threads();
  return threads.length > 0 ? `m${threads.map(formatThreadId).join(',')}` : 'l';
}

/** qThreadExtraInfo: what `info threads` shows beside the id: core, status, where. */
export function threadExtraInfo(target: GdbTarget, text: string): string {
  const selector = parseThreadId(text);
  const ref = selector && target.processes.find(selector);
  if (!ref) return E_NOT_FOUND;
  const core = target.core(ref);
  const where = target.session.symbols(ref.node).describe(core.pc);
  return textToHex(`n${ref.node}.c${ref.core} ${core.status}${where ? ` in ${where}` : ''}`);
}

export function currentThread(target: GdbTarget): string {
  const ref = target.generalThread();
  return ref ? `QC${formatThreadId(ref)}` : E_NOT_FOUND;
}
