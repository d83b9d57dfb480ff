// Guest sources of the channels benchmark, written into temporary images.
//   one-way: ping/pong (a null RPC: ping sends round i, pong echoes it) and
//   producer/consumer (K messages streamed, the consumer drains them), x86-32 and sparc32.
//   shared table: 16 counters updated by N cores, by update messages to an owner core
//   (x86-32) or by DSM transactions (x86-32, images/lib/tx-x86-32.s).
// Guests time themselves with SYS_TIME_NS and store the 64-bit readings (low word, then
// high word, in the ISA's byte order) at USER_DATA + TIME_T0 / TIME_T1 of their node.
import { USER_DATA } from '../../../emulator/index.js';
import { hex, libSource, syscall, TempDir } from '../../support/index.js';

export type BenchIsa = 'x86-32' | 'sparc32';
export const ISAS: readonly BenchIsa[] = ['x86-32', 'sparc32'];

/**
 * How an end waits: spinning on chan_send/chan_recv, the library's blocking forms
 * (chan_*_wait: across nodes the core sleeps in virtual time until the message or the ack
 * arrives, within a node it yields), or (receivers only) polling chan_recv with a
 * SYS_SLEEP_NS of `sleepNs` after each empty poll.
 */
export type Mode = 'spin' | 'wait' | { readonly sleepNs: number };

export const TIME_T0 = 0;
export const TIME_T1 = 8;
/** USER_DATA offsets of the owner's table of counters and of its per-channel message counts. */
export const TABLE_OFFSET = 0x100;
export const COUNTS_OFFSET = 0x200;
export const TABLE_COUNTERS = 16;


/** Unique labels within one generated source. */
class Labels {
  private next = 0;
  make(stem: string): string {
    return `${stem}_${this.next++}`;
  }
}

// ---------------------------------------------------------------- x86-32 snippets
// The message buffer is at [esp] (60 bytes of a 64-byte frame); the library preserves
// ebx, esi, edi and ebp and clobbers eax, ecx and edx.

function x86Io(labels: Labels, op: 'send' | 'recv', channel: number | string, mode: Mode): string {
  const call = `    mov   eax, esp
    push  eax
    push  ${channel}
    call  chan_${op}${mode === 'wait' ? '_wait' : ''}
    add   esp, 8
`;
  if (mode === 'wait') return call;
  const again = labels.make(`${op}_again`);
  if (mode === 'spin') {
    return `${again}:
${call}    test  eax, eax
    jz    ${again}
`;
  }
  if (op === 'send') throw new Error('a sender cannot poll with sleeps');
  const done = labels.make(`${op}_done`);
  return `${again}:
${call}    test  eax, eax
    jnz   ${done}
    push  ebx
    mov   eax, SYS_SLEEP_NS
    mov   ebx, ${mode.sleepNs}
    int   0x80
    pop   ebx
    jmp   ${again}
${done}:
`;
}

const x86Stamp = (offset: number) => `${syscall('x86-32', 'SYS_TIME_NS')}    mov   dword ptr [${hex(USER_DATA + offset)}], eax
    mov   dword ptr [${hex(USER_DATA + offset + 4)}], edx
`;

const EXTERNS = '.extern chan_send, chan_recv, chan_send_wait, chan_recv_wait\n';

function x86Ping(out: number, inn: number, warm: number, rounds: number, mode: Mode): string {
  const labels = new Labels();
  const exchange = (loop: string, limit: number) => `    mov   ebx, ${limit}
${loop}:
    inc   esi
    mov   eax, esi
    bswap eax
    mov   dword ptr [esp], eax
${x86Io(labels, 'send', out, mode)}${x86Io(labels, 'recv', inn, mode)}    mov   eax, dword ptr [esp]
    bswap eax
    add   edi, eax
    cmp   esi, ebx
    jb    ${loop}
`;
  return `${EXTERNS}main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    sub   esp, 64
    xor   esi, esi
    xor   edi, edi
${exchange('warm', warm)}${x86Stamp(TIME_T0)}${exchange('timed', warm + rounds)}${x86Stamp(TIME_T1)}    mov   eax, SYS_REPORT
    mov   ebx, edi
    xor   ecx, ecx
    int   0x80
    add   esp, 64
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    xor   eax, eax
    ret
`;
}

function x86Pong(inn: number, out: number, total: number, mode: Mode): string {
  const labels = new Labels();
  return `${EXTERNS}main:
    push  esi
    sub   esp, 64
    xor   esi, esi
again:
${x86Io(labels, 'recv', inn, mode)}${x86Io(labels, 'send', out, mode)}    inc   esi
    cmp   esi, ${total}
    jb    again
    add   esp, 64
    pop   esi
    xor   eax, eax
    ret
`;
}

function x86Producer(out: number, count: number, mode: Mode): string {
  const labels = new Labels();
  return `${EXTERNS}main:
    push  esi
    sub   esp, 64
    xor   esi, esi
again:
    inc   esi
    mov   eax, esi
    bswap eax
    mov   dword ptr [esp], eax
${x86Io(labels, 'send', out, mode)}    cmp   esi, ${count}
    jb    again
    add   esp, 64
    pop   esi
    xor   eax, eax
    ret
`;
}

function x86Consumer(inn: number, count: number, mode: Mode): string {
  const labels = new Labels();
  const take = () => `${x86Io(labels, 'recv', inn, mode)}    mov   eax, dword ptr [esp]
    bswap eax
    add   edi, eax
    inc   esi
`;
  return `${EXTERNS}main:
    push  ebx
    push  esi
    push  edi
    sub   esp, 64
    xor   esi, esi
    xor   edi, edi
${take()}${x86Stamp(TIME_T0)}again:
${take()}    cmp   esi, ${count}
    jb    again
${x86Stamp(TIME_T1)}    mov   eax, SYS_REPORT
    mov   ebx, edi
    xor   ecx, ecx
    int   0x80
    add   esp, 64
    pop   edi
    pop   esi
    pop   ebx
    xor   eax, eax
    ret
`;
}

// ---------------------------------------------------------------- sparc32 snippets
// Flat leaf code (no `save`): %l1 = message buffer, %l5 = USER_DATA, %l7 = return address.
// The library clobbers %o0-%o5, %g1-%g4 and %g6.

function sparcIo(labels: Labels, op: 'send' | 'recv', channel: number, mode: Mode): string {
  const call = `    mov   ${channel}, %o0
    call  chan_${op}${mode === 'wait' ? '_wait' : ''}
    mov   %l1, %o1
`;
  if (mode === 'wait') return call;
  const again = labels.make(`${op}_again`);
  if (mode === 'spin') {
    return `${again}:
${call}    cmp   %o0, 0
    be    ${again}
    nop
`;
  }
  if (op === 'send') throw new Error('a sender cannot poll with sleeps');
  const done = labels.make(`${op}_done`);
  return `${again}:
${call}    cmp   %o0, 0
    bne   ${done}
    nop
    set   ${mode.sleepNs}, %o0
${syscall('sparc32', 'SYS_SLEEP_NS')}    ba    ${again}
    nop
${done}:
`;
}

const sparcStamp = (offset: number) => `${syscall('sparc32', 'SYS_TIME_NS')}    st    %o0, [%l5 + ${offset}]
    st    %o1, [%l5 + ${offset + 4}]
`;

const SPARC_ENTER = `main:
    mov   %o7, %l7
    sub   %sp, 160, %sp
    add   %sp, 96, %l1
    set   USER_DATA, %l5
    clr   %l0
    clr   %l3
`;

const SPARC_LEAVE = `    add   %sp, 160, %sp
    mov   %l7, %o7
    retl
    clr   %o0
`;

const sparcReport = `    mov   %l3, %o0
    clr   %o1
${syscall('sparc32', 'SYS_REPORT')}`;

function sparcPing(out: number, inn: number, warm: number, rounds: number, mode: Mode): string {
  const labels = new Labels();
  const exchange = (loop: string, limit: number) => `    set   ${limit}, %l4
${loop}:
    add   %l0, 1, %l0
    st    %l0, [%l1]
${sparcIo(labels, 'send', out, mode)}${sparcIo(labels, 'recv', inn, mode)}    ld    [%l1], %o2
    add   %l3, %o2, %l3
    cmp   %l0, %l4
    blu   ${loop}
    nop
`;
  return `${EXTERNS}${SPARC_ENTER}${exchange('warm', warm)}${sparcStamp(TIME_T0)}${exchange('timed', warm + rounds)}${
    sparcStamp(TIME_T1)}${sparcReport}${SPARC_LEAVE}`;
}

function sparcPong(inn: number, out: number, total: number, mode: Mode): string {
  const labels = new Labels();
  return `${EXTERNS}${SPARC_ENTER}    set   ${total}, %l4
again:
${sparcIo(labels, 'recv', inn, mode)}${sparcIo(labels, 'send', out, mode)}    add   %l0, 1, %l0
    cmp   %l0, %l4
    blu   again
    nop
${SPARC_LEAVE}`;
}

function sparcProducer(out: number, count: number, mode: Mode): string {
  const labels = new Labels();
  return `${EXTERNS}${SPARC_ENTER}    set   ${count}, %l4
again:
    add   %l0, 1, %l0
    st    %l0, [%l1]
${sparcIo(labels, 'send', out, mode)}    cmp   %l0, %l4
    blu   again
    nop
${SPARC_LEAVE}`;
}

function sparcConsumer(inn: number, count: number, mode: Mode): string {
  const labels = new Labels();
  const take = () => `${sparcIo(labels, 'recv', inn, mode)}    ld    [%l1], %o2
    add   %l3, %o2, %l3
    add   %l0, 1, %l0
`;
  return `${EXTERNS}${SPARC_ENTER}    set   ${count}, %l4
${take()}${sparcStamp(TIME_T0)}again:
${take()}    cmp   %l0, %l4
    blu   again
    nop
${sparcStamp(TIME_T1)}${sparcReport}${SPARC_LEAVE}`;
}

// ---------------------------------------------------------------- shared table (x86-32)

/**
 * An updater: `updates` messages on channel (node or core id) - 1, message i naming
 * counter (channel + i) mod 16 (word 0) and the amount 1 (word 1), big-endian.
 */
function x86Updater(updates: number, idFrom: 'node' | 'core', mode: Mode): string {
  const labels = new Labels();
  return `${EXTERNS}main:
    push  esi
    push  ebp
    sub   esp, 64
    mov   ebp, ${idFrom === 'node' ? 'eax' : 'edx'}
    dec   ebp
    xor   esi, esi
    mov   dword ptr [esp + 4], 0x01000000
again:
    mov   eax, esi
    add   eax, ebp
    and   eax, ${TABLE_COUNTERS - 1}
    bswap eax
    mov   dword ptr [esp], eax
${x86Io(labels, 'send', 'ebp', mode)}    inc   esi
    cmp   esi, ${updates}
    jb    again
    add   esp, 64
    pop   ebp
    pop   esi
    xor   eax, eax
    ret
`;
}

/**
 * The owner: passes over its channels, draining each (chan_recv until empty) and adding
 * each message's amount to its counter and 1 to the channel's count. A pass that found
 * nothing passes again at once (spin) or after a sleep. Reports the updates applied.
 */
function x86Owner(channels: number, updates: number, mode: Mode): string {
  const table = hex(USER_DATA + TABLE_OFFSET);
  const counts = hex(USER_DATA + COUNTS_OFFSET);
  const apply = (channel: string) => `    mov   eax, dword ptr [esp]
    bswap eax
    and   eax, ${TABLE_COUNTERS - 1}
    mov   ecx, dword ptr [esp + 4]
    bswap ecx
    add   dword ptr [${table} + eax*4], ecx
    inc   dword ptr [${counts} + ${channel}*4]
    dec   edi
`;
  // Blocking on a channel (chan_recv_wait) is not an option: its updater may be blocked
  // on the same channel's window, and a channel holds one waiting core (see report).
  if (mode === 'wait') throw new Error('the owner spins or polls with sleeps');
  const idle = mode === 'spin' ? '    jmp   pass\n' : `    push  ebx
    mov   eax, SYS_SLEEP_NS
    mov   ebx, ${mode.sleepNs}
    int   0x80
    pop   ebx
    jmp   pass
`;
  return `${EXTERNS}main:
    push  ebx
    push  esi
    push  edi
    push  ebp
    sub   esp, 64
    mov   edi, ${channels * updates}
pass:
    xor   ebx, ebx
    xor   esi, esi
channel:
    mov   eax, esp
    push  eax
    push  esi
    call  chan_recv
    add   esp, 8
    test  eax, eax
    jz    next_channel
${apply('esi')}    inc   ebx
    jmp   channel
next_channel:
    inc   esi
    cmp   esi, ${channels}
    jb    channel
    test  edi, edi
    jz    done
    test  ebx, ebx
    jnz   pass
${idle}done:
    mov   eax, SYS_REPORT
    mov   ebx, ${channels * updates}
    xor   ecx, ecx
    int   0x80
    add   esp, 64
    pop   ebp
    pop   edi
    pop   esi
    pop   ebx
    xor   eax, eax
    ret
`;
}

/** A DSM updater: `updates` transactions, each adding 1 to counter (id + i) mod 16 at DSM_BASE. */
function x86DsmUpdater(updates: number, idFrom: 'node' | 'core'): string {
  return `.extern tx_begin, tx_commit
main:
    push  ebx
    push  esi
    push  ebp
    mov   ebp, ${idFrom === 'node' ? 'eax' : 'edx'}
    xor   esi, esi
again:
    call  tx_begin
    mov   eax, esi
    add   eax, ebp
    and   eax, ${TABLE_COUNTERS - 1}
    mov   ebx, DSM_BASE
    mov   ecx, dword ptr [ebx + eax*4]
    inc   ecx
    mov   dword ptr [ebx + eax*4], ecx
    call  tx_commit
    inc   esi
    cmp   esi, ${updates}
    jb    again
    mov   eax, SYS_REPORT
    mov   ebx, ${updates}
    xor   ecx, ecx
    int   0x80
    pop   ebp
    pop   esi
    pop   ebx
    xor   eax, eax
    ret
`;
}

// ---------------------------------------------------------------- images

/** Link between nodes: latency and bandwidth. */
export interface Link {
  readonly label: string;
  readonly latencyNs: number;
  readonly bandwidthMbps: number;
}
export const LAN: Link = { label: 'LAN 2.5 ms, 100 Mbit/s', latencyNs: 2_500_000, bandwidthMbps: 100 };
export const GIGABIT: Link = { label: 'gigabit 100 us, 1 Gbit/s', latencyNs: 100_000, bandwidthMbps: 1000 };

const images = new TempDir('clustervm-bench-channels');

/** Deletes the temporary folder of every image written so far. */
export function removeImages(): void {
  images.cleanup();
}

/** Where the two ends of a one-way test sit: two cores of one node, or two nodes over a link. */
export type Placement = { readonly kind: 'node' } | { readonly kind: 'nodes'; readonly link: Link };

export const SLOTS = 16;
export const WINDOW = 8;

/**
 * A pair of programs on two cores (placement 'node': n0.c0 and n0.c1) or two nodes
 * (n0.c0 and n1.c0), with channel 0 from the first to the second and channel 1 back.
 */
function writePairImage(name: string, isa: BenchIsa, placement: Placement, first: string, second: string): string {
  const modules = [{ name: 'chan', file: libSource('chan', isa) }];
  const there = placement.kind === 'node' ? [0, 1] : [1, 0];
  const channels = [
    { from: [0, 0], to: there, slots: SLOTS, window: WINDOW },
    { from: there, to: [0, 0], slots: SLOTS, window: WINDOW },
  ];
  if (placement.kind === 'node') {
    return images.writeImage(name, {
      channels,
      nodes: [{
        isa, cores: 2, modules,
        programs: [{ name: 'first', source: first, cores: [0] }, { name: 'second', source: second, cores: [1] }],
      }],
    });
  }
  return images.writeImage(name, {
    interconnect: { latencyNs: placement.link.latencyNs, bandwidthMbps: placement.link.bandwidthMbps },
    channels,
    nodes: [
      { isa, cores: 1, modules, programs: [{ name: 'first', source: first }] },
      { isa, cores: 1, modules, programs: [{ name: 'second', source: second }] },
    ],
  });
}

/** Ping on the first core (timed, reports the sum of the echoed round numbers), pong on the second. */
export function writePingPongImage(isa: BenchIsa, placement: Placement, warm: number, rounds: number, mode: Mode): string {
  const ping = isa === 'x86-32' ? x86Ping(0, 1, warm, rounds, mode) : sparcPing(0, 1, warm, rounds, mode);
  const pong = isa === 'x86-32' ? x86Pong(0, 1, warm + rounds, mode) : sparcPong(0, 1, warm + rounds, mode);
  return writePairImage(`channels-pingpong-${isa}`, isa, placement, ping, pong);
}

/** Producer on the first core, consumer (timed from its first message to its last, reports their sum) on the second. */
export function writeStreamImage(isa: BenchIsa, placement: Placement, count: number, producerMode: Mode,
                                 consumerMode: Mode): string {
  const producer = isa === 'x86-32' ? x86Producer(0, count, producerMode) : sparcProducer(0, count, producerMode);
  const consumer = isa === 'x86-32' ? x86Consumer(0, count, consumerMode) : sparcConsumer(0, count, consumerMode);
  return writePairImage(`channels-stream-${isa}`, isa, placement, producer, consumer);
}

/** Where the shared table's cores sit: one node of N (+1) cores, or nodes of one core over a link. */
export type TablePlacement = { readonly kind: 'node' } | { readonly kind: 'nodes'; readonly link: Link };

/**
 * Messages: the owner is n0.c0; updater u (1..N) is n0.c<u> (one node) or n<u>.c0 (nodes
 * of one core), sending on channel u - 1 to the owner. `mode` is the owner's; updaters
 * spin when the owner does, and block on a full window (chan_send_wait) otherwise.
 */
export function writeMessageTableImage(placement: TablePlacement, updaters: number, updates: number, mode: Mode): string {
  const owner = x86Owner(updaters, updates, mode);
  const updater = x86Updater(updates, placement.kind === 'node' ? 'core' : 'node', mode === 'spin' ? 'spin' : 'wait');
  const modules = [{ name: 'chan', file: libSource('chan', 'x86-32') }];
  const ids = Array.from({ length: updaters }, (_, i) => i + 1);
  const channels = ids.map((u) => ({
    from: placement.kind === 'node' ? [0, u] : [u, 0], to: [0, 0], slots: SLOTS, window: WINDOW,
  }));
  const interconnect = placement.kind === 'nodes'
    ? { interconnect: { latencyNs: placement.link.latencyNs, bandwidthMbps: placement.link.bandwidthMbps } } : {};
  if (placement.kind === 'node') {
    return images.writeImage('channels-table-messages', {
      ...interconnect, channels,
      nodes: [{
        isa: 'x86-32', cores: updaters + 1, modules,
        programs: [{ name: 'owner', source: owner, cores: [0] }, { name: 'updater', source: updater, cores: ids }],
      }],
    });
  }
  return images.writeImage('channels-table-messages', {
    ...interconnect, channels,
    nodes: [
      { isa: 'x86-32', cores: 1, modules, programs: [{ name: 'owner', source: owner }] },
      { isa: 'x86-32', cores: 1, count: updaters, modules, programs: [{ name: 'updater', source: updater }] },
    ],
  });
}

/** DSM: N updaters, n0.c0..c<N-1> (one node) or n0..n<N-1> (nodes of one core), the table at DSM_BASE. */
export function writeDsmTableImage(placement: TablePlacement, updaters: number, updates: number): string {
  const updater = x86DsmUpdater(updates, placement.kind === 'node' ? 'core' : 'node');
  const modules = [{ name: 'tx', file: libSource('tx', 'x86-32') }];
  const interconnect = placement.kind === 'nodes'
    ? { interconnect: { latencyNs: placement.link.latencyNs, bandwidthMbps: placement.link.bandwidthMbps } } : {};
  const node = placement.kind === 'node'
    ? { isa: 'x86-32' as const, cores: updaters, modules, programs: [{ name: 'updater', source: updater }] }
    : { isa: 'x86-32' as const, cores: 1, count: updaters, modules, programs: [{ name: 'updater', source: updater }] };
  return images.writeImage('channels-table-dsm', { ...interconnect, dsm: {}, nodes: [node] });
}
