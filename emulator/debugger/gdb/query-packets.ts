import { E_MALFORMED, E_NOT_FOUND } from './errors.js';
import { parseHexNumber, textToHex } from './hex.js';
import { escapeBinary } from './packet-reader.js';
import { targetXml } from './target-xml.js';
import type { GdbTarget } from './target.js';
import { formatThreadId, parseThreadId } from './thread-id.js';

/** The largest packet the stub takes, as qSupported advertises it (hex there). */
export const PACKET_SIZE = 0x4000;

export const SUPPORTED = [
  `PacketSize=${PACKET_SIZE.toString(16)}`, 'qXfer:features:read+', 'multiprocess+', 'QStartNoAckMode+',
  'swbreak+', 'vContSupported+',
].join(';');

/** `qXfer:features:read:ANNEX:OFFSET,LENGTH`: the general thread's process's description. */
export function readFeatures(target: GdbTarget, args: string): string {
  const match = /^([^:]*):([0-9a-f]+),([0-9a-f]+)$/i.exec(args);
  const offset = match ? parseHexNumber(match[2]!) : undefined;
  const length = match ? parseHexNumber(match[3]!) : undefined;
  if (!match || offset === undefined || length === undefined) return E_MALFORMED;
  if (match[1] !== 'target.xml') return E_NOT_FOUND;
  const xml = targetXml(target.layout());
  const chunk = xml.slice(offset, offset + length);
  return `${offset + length >= xml.length ? 'l' : 'm'}${escapeBinary(chunk)}`;
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
