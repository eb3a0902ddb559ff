import { z } from 'zod';
import { Uci } from './game.js';

/** ClientIn: frames a browser sends to a relay, `{"t","d"}` JSON text. */

/** `null` or `{"t":"p"}`; `l` is the client's measured lag in ms. The relay answers `0`. */
export const Ping = z.union([z.null(), z.object({ t: z.literal('p'), l: z.number().optional() })]);

/** Play a move. `a` is the client's ack id: the relay answers `{"t":"ack","d":a}` once published. */
export const Move = z.object({
  t: z.literal('move'),
  d: z.object({ u: Uci, a: z.number().int().nonnegative().optional() }),
});

export const Resign = z.object({ t: z.literal('resign') });

/** Actions the relay forwards to lila-core on `site-in`. */
export const ClientAction = z.discriminatedUnion('t', [Move, Resign]);
export type ClientAction = z.infer<typeof ClientAction>;
export type ClientActionType = ClientAction['t'];

/** WebSocket endpoints of a relay, and the actions each accepts. */
export const Endpoint = z.enum(['play', 'watch', 'lobby', 'site', 'user']);
export type Endpoint = z.infer<typeof Endpoint>;

export const endpointActions: Record<Endpoint, ReadonlySet<ClientActionType>> = {
  play: new Set(['move', 'resign']),
  watch: new Set(),
  lobby: new Set(),
  site: new Set(),
  user: new Set(),
};

/** Frames larger than this close the socket with {@link CloseCode.tooBig}. */
export const MAX_FRAME_BYTES = 8192;

/** Frames larger than this are not even read: the relay drops the connection (no close frame). */
export const HARD_FRAME_LIMIT_BYTES = 64 * 1024;

/** Close codes a relay uses. */
export const CloseCode = {
  /** A binary frame: we speak JSON text only. */
  binary: 1003,
  /** A frame over MAX_FRAME_BYTES. */
  tooBig: 1009,
  /** The relay is shutting down; reconnect elsewhere. */
  restart: 1012,
} as const;
