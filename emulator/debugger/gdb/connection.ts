import type { Socket } from 'node:net';
import { unreachable } from '../../../isa/index.js';
import type { CoreRef, DebugSession, Nodes } from '../session.js';
import type { Action } from './action.js';
import { dispatch } from './dispatch.js';
import { E_MALFORMED } from './errors.js';
import { frame, PacketReader, type WireEvent } from './packet-reader.js';
import { textToHex } from './hex.js';
import { PACKET_SIZE } from './query-packets.js';
import { resumedNodes, ResumeRun, type Resume, type ResumeEnd } from './resume.js';
import { SIGINT, signalOfFault, SIGTRAP, threadStop } from './stop-reply.js';
import { GdbTarget } from './target.js';

/**
 * Replies the client has not taken off the socket, past which the stub reads no more
 * of its requests until the socket drains: a client that never reads cannot make the
 * stub buffer without bound. One more reply may pass it (at most a packet's size).
 */
export const MAX_UNSENT_REPLY_BYTES = 1 << 20;
/** Requests held while the cluster runs; past this the stub reads no more until it stops. */
const MAX_WAITING_REQUESTS = 1024;

/**
 * One gdb client: framing and acks on the socket, packets to the target, and resumes
 * run in the background with exactly one stop reply each. Packets that arrive while
 * the cluster runs (all-stop gdb sends none but Ctrl-C) wait until it stops.
 */
export class GdbConnection {
  private readonly target: GdbTarget;
  private readonly reader = new PacketReader(PACKET_SIZE);
  private acks = true;
  private lastSent: string | undefined;
  private run: ResumeRun | undefined;
  private readonly waiting: WireEvent[] = [];
  private ended = false;
  /** A monitor command is running: requests wait, as during a run. */
  private monitoring = false;
  /** Events of the last chunk read that the stub has not taken yet. */
  private unread: Iterator<WireEvent> | undefined;

  constructor(private readonly session: DebugSession, private readonly socket: Socket, private readonly onEnd: () => void) {
    this.target = new GdbTarget(session);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.unread = this.reader.feed(chunk);
      this.pump();
    });
    socket.on('drain', () => this.pump());
    socket.on('close', () => this.end());
    // A reset connection ends the session like a close; the error itself says nothing more.
    socket.on('error', () => this.end());
  }

  /** Bytes of replies written but not yet taken by the client. */
  get unsentReplyBytes(): number {
    return this.socket.writableLength;
  }

  /** Whether the stub stopped reading requests until the client catches up. */
  get readingPaused(): boolean {
    return this.socket.isPaused();
  }

  /**
   * Takes the unread events one by one while the client keeps up; otherwise stops
   * reading the socket and goes on at 'drain' (or when a run ends and its waiting
   * requests are served).
   */
  private pump(): void {
    while (this.unread && !this.ended) {
      if (this.socket.writableLength > MAX_UNSENT_REPLY_BYTES || this.waiting.length >= MAX_WAITING_REQUESTS) {
        this.socket.pause();
        return;
      }
      const next = this.unread.next();
      if (next.done) this.unread = undefined;
      else this.take(next.value);
    }
    if (!this.ended) this.socket.resume();
  }

  /** Stops serving: cancels a run, takes gdb's breakpoints out, closes the socket. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.run?.cancel();
    this.target.points.removeAll();
    // Flush the last reply, then close without waiting for the client's side.
    this.socket.end(() => this.socket.destroy());
    this.onEnd();
  }

  private take(event: WireEvent): void {
    if (this.ended) return;
    if (event.kind === 'interrupt') {
      this.run?.interrupt();
      return;
    }
    if (this.run || this.monitoring) {
      this.waiting.push(event);
      return;
    }
    switch (event.kind) {
      case 'ack':
        return;
      case 'nak':
        if (this.lastSent) this.socket.write(this.lastSent);
        return;
      case 'bad-checksum':
        if (this.acks) this.socket.write('-');
        return;
      case 'oversized':
        this.ack();
        this.send(E_MALFORMED);
        return;
      case 'packet':
        this.ack();
        this.perform(this.actionFor(event.body));
        return;
      default: unreachable(event);
    }
  }

  private actionFor(body: string): Action {
    try {
      return dispatch(this.target, body);
    } catch {
      // A request the session refuses (a core that is gone, say) must not end the stub.
      return { kind: 'reply', text: E_MALFORMED };
    }
  }

  private perform(action: Action): void {
    switch (action.kind) {
      case 'reply':
        this.send(action.text);
        return;
      case 'no-ack':
        this.send('OK');
        this.acks = false;
        return;
      case 'close':
        if (action.reply !== undefined) this.send(action.reply);
        this.end();
        return;
      case 'resume':
        this.resume(action.resume);
        return;
      case 'monitor':
        this.monitor(action.output);
        return;
      default: unreachable(action);
    }
  }

  private resume(resume: Resume): void {
    // An exit found by an earlier resume is this resume's stop.
    const nodes = resumedNodes(resume);
    const pending = this.target.processes.takeExit(nodes);
    if (pending) {
      this.stopped(pending);
      return;
    }
    const run = new ResumeRun(this.session, this.target.processes, resume, (end) => {
      this.run = undefined;
      this.stopped(this.stopReply(end, nodes));
      for (const event of this.waiting.splice(0)) this.take(event);
      this.pump();
    }, (text) => this.send(`O${textToHex(text)}`));
    this.run = run;
    run.start();
  }

  private monitor(output: Promise<string>): void {
    this.monitoring = true;
    void output.then((text) => {
      this.monitoring = false;
      if (this.ended) return;
      // gdb prints each O packet's text; a packet carries at most half its size in hex.
      const chunk = Math.floor(PACKET_SIZE / 2) - 8;
      for (let at = 0; at < text.length; at += chunk) this.send(`O${textToHex(text.slice(at, at + chunk))}`);
      this.send('OK');
      for (const event of this.waiting.splice(0)) this.take(event);
      this.pump();
    });
  }

  private stopped(reply: string): void {
    this.target.lastStop = reply;
    this.send(reply);
  }

  /** The reply for how a resume of `nodes` ended; only their exits are reported. */
  private stopReply(end: ResumeEnd, nodes: Nodes): string {
    if (end.kind === 'watchpoint') {
      // gdb expects a watchpoint to report after the access, the core stops before it:
      // run the access, then report (unless that one instruction stopped otherwise).
      const after = this.session.stepCore(end.core, 1);
      if (after.kind !== 'step') return this.stopReply(after, nodes);
      const details = this.target.points.watchDetails(end.id, end.address) ?? '';
      return this.threadReply(SIGTRAP, end.core, details);
    }
    this.target.processes.collectExits(end.kind === 'exited', nodes);
    const ending = end.kind === 'process-exit' || end.kind === 'exited' || end.kind === 'step';
    const exit = ending ? this.target.processes.takeExit(nodes) : undefined;
    if (exit) return exit;
    const somewhere = this.target.generalThread() ?? this.target.general;
    switch (end.kind) {
      case 'breakpoint': return this.threadReply(SIGTRAP, end.core, 'swbreak:;');
      case 'fault': return this.threadReply(signalOfFault(end.reason), end.core);
      case 'step': return this.threadReply(SIGTRAP, end.core ?? somewhere);
      // gdb then says it has no more reverse-execution history.
      case 'history-start': return this.threadReply(SIGTRAP, end.core ?? somewhere, 'replaylog:begin;');
      case 'interrupt':
      case 'blocked':
        return this.threadReply(SIGINT, somewhere);
      // A catchpoint's kernel event names no core, and an exit already reported has no reply of its own.
      case 'catch':
      case 'exited':
      case 'process-exit':
        return this.threadReply(SIGTRAP, somewhere);
      default: return unreachable(end);
    }
  }

  /** A stop names its thread, which becomes the general thread as gdb will assume. */
  private threadReply(signal: number, ref: CoreRef, details = ''): string {
    this.target.general = ref;
    return threadStop(signal, ref, details);
  }

  private ack(): void {
    if (this.acks) this.socket.write('+');
  }

  private send(body: string): void {
    this.lastSent = frame(body);
    this.socket.write(this.lastSent);
  }
}
