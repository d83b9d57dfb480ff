import type { Resume } from './resume.js';

/** What the connection does with a packet. */
export type Action =
  | { readonly kind: 'reply'; readonly text: string }
  /** Run or step; the stop reply comes when it ends. */
  | { readonly kind: 'resume'; readonly resume: Resume }
  /** QStartNoAckMode: reply OK, then neither send nor expect acks. */
  | { readonly kind: 'no-ack' }
  /** qRcmd: the console's output comes as `O` packets once the command is done, then OK. */
  | { readonly kind: 'monitor'; readonly output: Promise<string> }
  /** End the session after the reply, if any (D and k). */
  | { readonly kind: 'close'; readonly reply: string | undefined };

export function reply(text: string): Action {
  return { kind: 'reply', text };
}
