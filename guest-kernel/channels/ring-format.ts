// The channel format shared by the guest libraries (images/lib/chan-*.s) and the kernel.
// Every field is big-endian, whatever the ISA, so an x86 node and a SPARC node read the
// same values: x86 code swaps bytes when it reads or writes a field.
//
// Channel table (at CHANNEL_TABLE on every node), one 16-byte entry per channel id:
//   +0 ring address on this node (0 when the ring lives on another node)
//   +4 slots in the ring
//   +8 flags: CHAN_REMOTE (send through the kernel), CHAN_RECEIVER, CHAN_SENDER
// Ring: +0 head (messages written), +64 tail (messages read), each on its own cache
// line; then `slots` messages of 64 bytes: +0 sequence number (1, 2, ...; a slot holds
// message n once its sequence reads n), +4 payload of 60 bytes.

export const CHANNEL_TABLE_ENTRY_BYTES = 16;
export const MAX_CHANNELS = 64;
export const CHANNEL_TABLE_BYTES = CHANNEL_TABLE_ENTRY_BYTES * MAX_CHANNELS;
export const RING_HEAD = 0;
export const RING_TAIL = 64;
export const RING_SLOTS = 128;
export const MESSAGE_BYTES = 64;
export const PAYLOAD_OFFSET = 4;
export const PAYLOAD_BYTES = MESSAGE_BYTES - PAYLOAD_OFFSET;

export const CHANNEL_FLAGS = { CHAN_REMOTE: 1, CHAN_RECEIVER: 2, CHAN_SENDER: 4 } as const;

export function ringBytes(slots: number): number {
  return RING_SLOTS + slots * MESSAGE_BYTES;
}
