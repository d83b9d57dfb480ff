/** What the byte stream from gdb carries, one event at a time. */
export type WireEvent =
  | { readonly kind: 'packet'; readonly body: string }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  /** Ctrl-C outside a packet: gdb asks a running target to stop. */
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'bad-checksum' }
  /** A well-framed packet longer than the stub accepts; its body was not kept. */
  | { readonly kind: 'oversized' };

const DOLLAR = 0x24;
const HASH = 0x23;
const PLUS = 0x2b;
const MINUS = 0x2d;
const CTRL_C = 0x03;

function checksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum = (sum + body.charCodeAt(i)) & 0xff;
  return sum;
}

/**
 * Splits the stream into `$body#xx` packets, acks and interrupts. Bytes outside a
 * packet that mean nothing are dropped, so garbage cannot wedge the stub; a body past
 * `maxBody` bytes is counted but not stored, so a hostile client cannot grow memory.
 */
export class PacketReader {
  private state: 'idle' | 'body' | 'checksum' = 'idle';
  private body: number[] = [];
  private sum = 0;
  private length = 0;
  private digits = '';

  constructor(private readonly maxBody: number) {}

  *feed(chunk: Uint8Array): Generator<WireEvent> {
    for (const byte of chunk) {
      const event = this.take(byte);
      if (event) yield event;
    }
  }

  private take(byte: number): WireEvent | undefined {
    if (this.state === 'idle') {
      if (byte === DOLLAR) this.start();
      else if (byte === PLUS) return { kind: 'ack' };
      else if (byte === MINUS) return { kind: 'nak' };
      else if (byte === CTRL_C) return { kind: 'interrupt' };
      return undefined;
    }
    if (this.state === 'body') {
      // A '$' inside a body means the previous packet was cut short: start over.
      if (byte === DOLLAR) this.start();
      else if (byte === HASH) this.state = 'checksum';
      else {
        this.sum = (this.sum + byte) & 0xff;
        if (++this.length <= this.maxBody) this.body.push(byte);
      }
      return undefined;
    }
    this.digits += String.fromCharCode(byte);
    if (this.digits.length < 2) return undefined;
    this.state = 'idle';
    const valid = /^[0-9a-f]{2}$/i.test(this.digits) && parseInt(this.digits, 16) === this.sum;
    if (!valid) return { kind: 'bad-checksum' };
    if (this.length > this.maxBody) return { kind: 'oversized' };
    return { kind: 'packet', body: Buffer.from(this.body).toString('latin1') };
  }

  private start(): void {
    this.state = 'body';
    this.body = [];
    this.sum = 0;
    this.length = 0;
    this.digits = '';
  }
}

/** `$body#xx`; the body must already be escaped where the packet carries binary data. */
export function frame(body: string): string {
  return `$${body}#${checksum(body).toString(16).padStart(2, '0')}`;
}

/** Escapes binary data (qXfer replies): '#', '$', '}' and '*' become '}' and the byte xor 0x20. */
export function escapeBinary(data: string): string {
  return data.replace(/[#$}*]/g, (char) => `}${String.fromCharCode(char.charCodeAt(0) ^ 0x20)}`);
}
