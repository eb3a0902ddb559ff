import { z } from 'zod';

/** Data shapes shared by HTTP answers and socket frames. */

export const Color = z.enum(['white', 'black']);
export type Color = z.infer<typeof Color>;

/** lichess's status names. */
export const Status = z.enum([
  'started',
  'aborted',
  'mate',
  'resign',
  'stalemate',
  /** The opponent left and the player claimed the win (`resign-force`). */
  'timeout',
  'draw',
  'outoftime',
]);
export type Status = z.infer<typeof Status>;

export const Uci = z.string().regex(/^[a-h][1-8][a-h][1-8][qrbn]?$/, 'a move in UCI, like e2e4 or e7e8q');

export const GameId = z.string().regex(/^[A-Za-z0-9]{8}$/, 'an 8-character game id');

/** Fischer clock, in seconds. */
export const ClockConfig = z
  .object({
    limit: z.number().int().min(0).max(10800),
    increment: z.number().int().min(0).max(180),
  })
  .refine((c) => c.limit + c.increment > 0, 'limit and increment cannot both be 0');
export type ClockConfig = z.infer<typeof ClockConfig>;

/** Remaining time of each side, in seconds (centisecond precision). */
export const Clocks = z.object({ white: z.number(), black: z.number() });
export type Clocks = z.infer<typeof Clocks>;

export const Player = z.object({ id: z.string(), name: z.string() });

/** Anonymous sessions' user ids start with this; they have no account. */
export const ANONYMOUS_PREFIX = 'anon-';
export const isAnonymous = (userId: string): boolean => userId.startsWith(ANONYMOUS_PREFIX);
/**
 * A user id as written in a URL, made canonical: an account's id is its name in lower case (names
 * are case-insensitive); an anonymous id is random and keeps its case (no account may be named so).
 */
export const canonicalUserId = (id: string): string => (isAnonymous(id) ? id : id.toLowerCase());
export type Player = z.infer<typeof Player>;

/** `GET /api/game/:id`, and the `d` of the first `state` frame on /play and /watch. */
export const GameJson = z.object({
  id: GameId,
  players: z.object({ white: Player, black: Player }),
  clock: ClockConfig,
  clocks: Clocks,
  moves: z.array(Uci),
  sans: z.array(z.string()),
  fen: z.string(),
  status: Status,
  winner: Color.nullable(),
  v: z.number().int().nonnegative(),
  /** A tournament game: the tournament's id. */
  tournament: z.string().optional(),
  /** A tournament game: the sides that went berserk. */
  berserk: z.object({ white: z.literal(true).optional(), black: z.literal(true).optional() }).optional(),
});
export type GameJson = z.infer<typeof GameJson>;

export const ChallengeColor = z.enum(['white', 'black', 'random']);

export const ChallengeJson = z.object({
  id: z.string(),
  status: z.enum(['created', 'accepted', 'declined', 'canceled']),
  challenger: Player,
  destUser: Player,
  clock: ClockConfig,
  color: ChallengeColor,
  rated: z.boolean(),
  gameId: z.string().optional(),
});
export type ChallengeJson = z.infer<typeof ChallengeJson>;
