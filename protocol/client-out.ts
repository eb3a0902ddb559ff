import { z } from 'zod';
import { ChallengeColor, ChallengeJson, ClockConfig, Clocks, Color, GameJson, Player, Status, Uci } from './game.js';

/** ClientOut: frames a browser receives. Versioned room events carry `v`. */

/** The answer to a ping: the bare frame `0`. */
export const Pong = z.literal(0);

export const Ack = z.object({ t: z.literal('ack'), d: z.number().int() });

export const ErrorCode = z.enum([
  'bad_json',
  'bad_message',
  'unknown_type',
  'not_allowed_here',
  'illegal_move',
  'not_your_turn',
  'not_your_game',
  'game_over',
  /** A legal action at the wrong moment: abort after two plies, a second draw offer too soon... */
  'not_allowed_now',
  'unavailable',
  /**
   * The relay dropped a frame past the socket's rate limits (told at most once a second; a flood is
   * closed with 1008), or lila-core a chat line past its user's limits (lila-core/chat/flood.ts).
   */
  'rate_limited',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A refused action, to the sender's socket alone. */
export const ErrorFrame = z.object({
  t: z.literal('error'),
  d: z.object({ code: ErrorCode, message: z.string() }),
});

/** First frame on /play and /watch. */
export const State = z.object({ t: z.literal('state'), v: z.number().int(), d: GameJson });

export const MoveEvent = z.object({
  t: z.literal('move'),
  v: z.number().int(),
  d: z.object({ ply: z.number().int().positive(), uci: Uci, san: z.string(), fen: z.string(), clock: Clocks }),
});

export const EndEvent = z.object({
  t: z.literal('end'),
  v: z.number().int(),
  d: z.object({
    winner: Color.nullable(),
    status: Status,
    clock: Clocks,
    /** Rated games only: each player's rating change (rounded ratings), absent when aborted. */
    ratingDiff: z.object({ white: z.number().int(), black: z.number().int() }).optional(),
  }),
});

/** Both clocks: versioned to the room after `moretime`, unversioned to one socket on `clock`. */
export const ClockEvent = z.object({ t: z.literal('clock'), v: z.number().int().optional(), d: Clocks });

/** A pending draw offer, by whom; `null` when it was declined, withdrawn or voided by a move. */
export const DrawOffer = z.object({
  t: z.literal('drawOffer'),
  v: z.number().int(),
  d: z.object({ by: Color.nullable() }),
});

/** Players only: who is proposing a takeback. */
export const TakebackOffers = z.object({
  t: z.literal('takebackOffers'),
  v: z.number().int(),
  d: z.object({ white: z.boolean(), black: z.boolean() }),
});

/** Players only: who is proposing a rematch; `null` when declined. */
export const RematchOffer = z.object({
  t: z.literal('rematchOffer'),
  v: z.number().int(),
  d: z.object({ by: Color.nullable() }),
});

/** The position changed other than by a move (a takeback): here is the whole game again. */
export const Reload = z.object({ t: z.literal('reload'), v: z.number().int(), d: GameJson });

/** Who is in the room, across all relays: a player with several tabs counts once. */
export const Crowd = z.object({
  t: z.literal('crowd'),
  d: z.object({ white: z.boolean(), black: z.boolean(), watchers: z.number().int() }),
});

/** To one player: the opponent has been away; a claim is possible in `d` seconds. */
export const GoneIn = z.object({ t: z.literal('goneIn'), v: z.number().int(), d: z.number().int() });
/** To one player: the opponent is gone (`true`, claims allowed) or back (`false`). */
export const Gone = z.object({ t: z.literal('gone'), v: z.number().int(), d: z.boolean() });

/** Chat: players' lines reach the players, spectators' lines the spectators. */
export const ChatMessage = z.object({
  t: z.literal('message'),
  v: z.number().int(),
  d: z.object({ u: z.string().nullable(), text: z.string() }),
});

/** A tournament game: a player went berserk (half their base time gone, no increment); both clocks. */
export const BerserkEvent = z.object({
  t: z.literal('berserk'),
  v: z.number().int(),
  d: z.object({ color: Color, clock: Clocks }),
});

/**
 * On `tournament:<id>`: the standings changed (at most once a second); fetch them again after a
 * random 0–2 s. Also the first frame on /tournament, at the room's version. Without `d`, unlike a
 * game's `reload`: the standings come from the HTTP API.
 */
export const TournamentReload = z.object({ t: z.literal('reload'), v: z.number().int() }).strict();

/** A seek in the lobby. */
export const SeekJson = z.object({
  id: z.string(),
  user: Player,
  clock: ClockConfig,
  color: ChallengeColor,
  rated: z.boolean(),
});
export type SeekJson = z.infer<typeof SeekJson>;

/** First frame on /lobby: the seeks at version `v`; then each change alone. */
export const Seeks = z.object({ t: z.literal('seeks'), v: z.number().int(), d: z.array(SeekJson) });
export const SeekAdd = z.object({ t: z.literal('seekAdd'), v: z.number().int(), d: SeekJson });
export const SeekRemove = z.object({
  t: z.literal('seekRemove'),
  v: z.number().int(),
  d: z.object({ id: z.string() }),
});
/** How many wait in each pool, at most once a second, when it changed. */
export const PoolCounts = z.object({ t: z.literal('pools'), d: z.record(z.string(), z.number().int()) });
/** Players online and games being played, at most once a second, when it changed. */
export const SiteCounts = z.object({
  t: z.literal('n'),
  d: z.object({ users: z.number().int(), games: z.number().int() }),
});
/** A message from the operators, to every socket. */
export const Announce = z.object({ t: z.literal('announce'), d: z.object({ msg: z.string() }) });

/** A versioned event this socket must not see: its version alone keeps the count contiguous. */
export const Skip = z.object({ v: z.number().int() });

/** The socket's `?v=` is too old or unknown to the relay: fetch the whole state again. */
export const Resync = z.object({ t: z.literal('resync') });

/**
 * The relay is shutting down: it closes this socket (code 1012) within a few seconds. Reconnect,
 * with `?v=`, after a short random delay; another relay takes the socket.
 */
export const ServerRestart = z.object({ t: z.literal('serverRestart') });

/** On `user:<id>`: someone challenges you. */
export const ChallengeEvent = z.object({ t: z.literal('challenge'), d: ChallengeJson });
export const ChallengeDeclined = z.object({ t: z.literal('challengeDeclined'), d: ChallengeJson });
export const ChallengeCanceled = z.object({ t: z.literal('challengeCanceled'), d: ChallengeJson });

/** On `user:<id>`: go to this game. On a game room (versioned), the rematch everyone may follow. */
export const Redirect = z.object({
  t: z.literal('redirect'),
  v: z.number().int().optional(),
  d: z.object({ id: z.string() }),
});

export const ClientOut = z.union([
  Pong,
  Skip.strict(),
  z.discriminatedUnion('t', [
    Ack,
    ErrorFrame,
    State,
    MoveEvent,
    EndEvent,
    ClockEvent,
    DrawOffer,
    TakebackOffers,
    RematchOffer,
    Reload,
    Crowd,
    GoneIn,
    Gone,
    ChatMessage,
    Resync,
    ServerRestart,
    Seeks,
    SeekAdd,
    SeekRemove,
    PoolCounts,
    SiteCounts,
    Announce,
    ChallengeEvent,
    ChallengeDeclined,
    ChallengeCanceled,
    Redirect,
    BerserkEvent,
  ]),
  TournamentReload,
]);
export type ClientOut = z.infer<typeof ClientOut>;
export type ClientOutOf<T extends Extract<ClientOut, { t: string }>['t']> = Extract<ClientOut, { t: T }>;

/** Frames of the union that carry a room version (`v`): the events rooms keep and replay. */
type Tagged = Exclude<Extract<ClientOut, { t: string }>, { t: 'reload'; d?: never }>;
type WithVersion<F> = F extends unknown ? ('v' extends keyof F ? F & { v: number } : never) : never;
export type VersionedFrame = WithVersion<Tagged>;
export type TournamentReload = z.infer<typeof TournamentReload>;
/** A versioned event of a tournament room: `reload`, or a chat line (`message`). */
export type TournamentFrame = TournamentReload | z.infer<typeof ChatMessage>;

/**
 * The one way a frame for browsers becomes text, on relays and lila-core alike: from its type, so
 * that no frame is ever written by hand. Serialized once, however many sockets receive it.
 */
export const encodeFrame = (frame: ClientOut): string => JSON.stringify(frame);

/** The serialized error frame, as relay and core both send it. */
export const errorFrame = (code: ErrorCode, message: string): string =>
  encodeFrame({ t: 'error', d: { code, message } });
