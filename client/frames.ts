import type { z } from 'zod';
import type { ClientAction, Ping } from '../protocol/client-in.js';
import { ClientOut } from '../protocol/client-out.js';
import type { Frame } from './versions.js';

/** What a text frame from the relay is: a pong, a frame of the protocol, or something else. */
export type Incoming =
  { kind: 'pong' } | { kind: 'frame'; frame: Frame } | { kind: 'invalid'; text: string; v?: number };

export function decodeIncoming(data: unknown): Incoming {
  // Relays send text only; a binary message is not ours to read.
  if (typeof data !== 'string') return { kind: 'invalid', text: '(binary)' };
  if (data === '0') return { kind: 'pong' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { kind: 'invalid', text: data };
  }
  const parsed = ClientOut.safeParse(json);
  if (parsed.success) return parsed.data === 0 ? { kind: 'pong' } : { kind: 'frame', frame: parsed.data };
  // A versioned frame we cannot read still takes its place in the count, or every later one would look like a gap.
  const v = typeof json === 'object' && json !== null ? (json as { v?: unknown }).v : undefined;
  return Number.isInteger(v) ? { kind: 'invalid', text: data, v: v as number } : { kind: 'invalid', text: data };
}

/** The relay's answer to a ping: the bare frame `0`. */
export const isPong = (data: unknown): boolean => data === '0';

/** A frame as the client sends it: a ping or an action of protocol/client-in.ts (the relay applies defaults). */
export type ClientIn = z.input<typeof Ping> | z.input<typeof ClientAction>;

/** The one way the client's frames become text. */
export const encodeOutgoing = (frame: ClientIn): string => JSON.stringify(frame);

/** The socket URL: `base` with `?v=` (the last version seen) and `?token=` when there are any. */
export function socketUrl(base: string, o: { v?: number; token?: string }): string {
  const url = new URL(base);
  url.searchParams.delete('v');
  if (o.v !== undefined) url.searchParams.set('v', String(o.v));
  if (o.token !== undefined) url.searchParams.set('token', o.token);
  return url.toString();
}
