import { z } from 'zod';
import { ChallengeColor, ClockConfig, Uci } from './game.js';

/** ClientIn: frames a browser sends to a relay, `{"t","d"}` JSON text. */

/** `null` or `{"t":"p"}`; `l` is the client's measured lag in ms. The relay answers `0`. */
export const Ping = z.union([z.null(), z.object({ t: z.literal('p'), l: z.number().optional() })]);
/** The two pings as browsers send them (no lag): a relay matches these texts before any parse. */
export const PING_TEXTS: readonly string[] = ([null, { t: 'p' }] satisfies z.infer<typeof Ping>[]).map((ping) =>
  JSON.stringify(ping),
);

/**
 * Play a move. `a` is the client's ack id: lila-core answers `{"t":"ack","d":a}` once the move is
 * saved. `l` is the client's measured network lag in ms, used for lag compensation.
 */
export const Move = z.object({
  t: z.literal('move'),
  d: z.object({
    u: Uci,
    a: z.number().int().nonnegative().optional(),
    l: z.number().int().nonnegative().max(60_000).optional(),
  }),
});

const bare = <T extends string>(t: T) => z.object({ t: z.literal(t) });

export const Resign = bare('resign');
/** Only while fewer than two plies have been played. */
export const Abort = bare('abort');
/** Offer a draw, or accept the opponent's offer (or claim threefold / fifty moves). */
export const DrawYes = bare('draw-yes');
export const DrawNo = bare('draw-no');
export const TakebackYes = bare('takeback-yes');
export const TakebackNo = bare('takeback-no');
/** +15 s to the opponent. */
export const Moretime = bare('moretime');
export const RematchYes = bare('rematch-yes');
export const RematchNo = bare('rematch-no');
/** The client believes a clock has run out; lila-core checks. */
export const Outoftime = bare('outoftime');
/** Claims once the opponent is `gone`: win, or draw. */
export const ResignForce = bare('resign-force');
export const DrawForce = bare('draw-force');
/** The current clocks, to this socket only. */
export const ClockRequest = bare('clock');
/** Chat: players' messages reach players, spectators' reach spectators. */
export const Talk = z.object({ t: z.literal('talk'), d: z.string().trim().min(1).max(140) });

/**
 * Berserk in a tournament game that allows it, before one's first move: half one's base time gone,
 * no increment (lila-core/game/berserk.ts).
 */
export const Berserk = bare('berserk');

/** Lobby: a seek for an opponent with this clock; `color` is the seeker's. */
export const Seek = z.object({
  t: z.literal('seek'),
  d: z.object({ clock: ClockConfig, color: ChallengeColor.default('random'), rated: z.boolean().default(false) }),
});
export const SeekCancel = z.object({ t: z.literal('seek-cancel'), d: z.object({ id: z.string().min(1).max(16) }) });
export const SeekAccept = z.object({ t: z.literal('seek-accept'), d: z.object({ id: z.string().min(1).max(16) }) });
/** Lobby: join or leave a pool, by its clock (`"3+0"`). */
export const PoolIn = z.object({ t: z.literal('pool-in'), d: z.object({ id: z.string().min(3).max(8) }) });
export const PoolOut = z.object({ t: z.literal('pool-out'), d: z.object({ id: z.string().min(3).max(8) }) });

/** Actions the relay forwards to lila-core on `site-in`. */
export const ClientAction = z.discriminatedUnion('t', [
  Seek,
  SeekCancel,
  SeekAccept,
  PoolIn,
  PoolOut,
  Move,
  Resign,
  Abort,
  DrawYes,
  DrawNo,
  TakebackYes,
  TakebackNo,
  Moretime,
  RematchYes,
  RematchNo,
  Outoftime,
  ResignForce,
  DrawForce,
  ClockRequest,
  Talk,
  Berserk,
]);
export type ClientAction = z.infer<typeof ClientAction>;
export type ClientActionType = ClientAction['t'];

/** What only a player of the game may do. */
const playerActions: ClientActionType[] = [
  'move',
  'resign',
  'abort',
  'draw-yes',
  'draw-no',
  'takeback-yes',
  'takeback-no',
  'moretime',
  'rematch-yes',
  'rematch-no',
  'outoftime',
  'resign-force',
  'draw-force',
  'clock',
  'talk',
  'berserk',
];

/** WebSocket endpoints of a relay, and the actions each accepts. */
export const Endpoint = z.enum(['play', 'watch', 'lobby', 'site', 'user', 'tournament']);
export type Endpoint = z.infer<typeof Endpoint>;

export const endpointActions: Record<Endpoint, ReadonlySet<ClientActionType>> = {
  play: new Set(playerActions),
  watch: new Set(['clock', 'talk']),
  lobby: new Set(['seek', 'seek-cancel', 'seek-accept', 'pool-in', 'pool-out']),
  site: new Set(),
  user: new Set(),
  /** A tournament's page: its chat (README, Tournaments). */
  tournament: new Set(['talk']),
};

/** Frames larger than this close the socket with {@link CloseCode.tooBig}. */
export const MAX_FRAME_BYTES = 8192;

/** Frames larger than this are not even read: the relay drops the connection (no close frame). */
export const HARD_FRAME_LIMIT_BYTES = 64 * 1024;

/** Close codes a relay uses. */
export const CloseCode = {
  /** A binary frame: we speak JSON text only. */
  binary: 1003,
  /** A socket that kept sending past its rate limits (ws-server/rate-limit.ts): policy violation. */
  policy: 1008,
  /** A frame over MAX_FRAME_BYTES. */
  tooBig: 1009,
  /** The relay is shutting down; reconnect elsewhere. */
  restart: 1012,
  /** The session of the socket's token was revoked (signed out): do not reconnect with that token. */
  revoked: 4001,
} as const;
