import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// Perfetto's Trace message, loaded by protobufjs from the .proto beside this file; the
// tests decode with the same schema.

const PROTO = fileURLToPath(new URL('./perfetto-trace.proto', import.meta.url));

let trace: protobuf.Type | undefined;

export function traceType(): protobuf.Type {
  trace ??= protobuf.loadSync(PROTO).lookupType('perfetto.protos.Trace');
  return trace;
}

/** TrackEvent.Type and TracePacket.SequenceFlags, as the .proto numbers them. */
export const EVENT_TYPE = { sliceBegin: 1, sliceEnd: 2, instant: 3, counter: 4 } as const;
export const SEQ_INCREMENTAL_STATE_CLEARED = 1;
