import { z } from 'zod';
import { ANONYMOUS_PREFIX, ChallengeColor, ClockConfig } from './game.js';

/** Bodies of the HTTP API on lila-core. */

/**
 * An account's name; its id is the name lowercased. Never `anon-…` in any case: anonymous players'
 * ids are public (game JSON, seeks) and `anon-` prefixed, and such an account would take over
 * that player's games.
 */
export const UserName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{2,20}$/, 'a name of 2 to 20 characters among A-Z, a-z, 0-9, _ and -')
  .refine(
    (name) => !name.toLowerCase().startsWith(ANONYMOUS_PREFIX),
    'names beginning with anon- are kept for anonymous players',
  );

export const Password = z.string().min(4, 'at least 4 characters').max(256, 'at most 256 characters');

export const AccountCreate = z.object({ name: UserName, password: Password });

/** With a name and password, a session for that account; with `{}`, an anonymous one. */
export const SessionCreate = z.union([z.object({ name: z.string(), password: z.string() }), z.object({}).strict()]);

/** `rated` needs an account on both sides. */
export const ChallengeCreate = z.object({
  clock: ClockConfig,
  color: ChallengeColor.default('random'),
  rated: z.boolean().default(false),
});

/** `GET /api/user/:id/games?page=N`: pages of 10 games from 1. */
export const UserGamesQuery = z.object({ page: z.coerce.number().int().min(1).max(1000).default(1) });

/** Every HTTP error: `{"error":{"code","message"}}` with a 4xx (or 503) status. */
export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;

/** The body of an HTTP error, on lila-core's API and on a relay's refused upgrade alike. */
export const encodeApiError = (code: string, message: string): string =>
  JSON.stringify({ error: { code, message } } satisfies ApiError);

/** A relay's `/health` (and `/health/ready`) body. */
export const RelayHealth = z.object({
  redis: z.enum(['connected', 'disconnected']),
  /** Seconds since the relay started. */
  uptime: z.number().int().nonnegative(),
  connections: z.number().int().nonnegative(),
});
export type RelayHealth = z.infer<typeof RelayHealth>;
export const encodeRelayHealth = (health: RelayHealth): string => JSON.stringify(health);

/** A relay's `/health/live` body: the process answers, whatever its Redis. */
export const RelayLive = z.object({ live: z.literal(true) });
export type RelayLive = z.infer<typeof RelayLive>;
export const encodeRelayLive = (live: RelayLive): string => JSON.stringify(live);

/** `GET /api/users/status?ids=a,b`: at most 100 ids. */
export const UsersStatusQuery = z.object({
  ids: z
    .string()
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((id) => id.trim().toLowerCase())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(40)).min(1, 'name at least one id').max(100, 'at most 100 ids')),
});

/** `POST /api/admin/announce`. */
export const Announcement = z.object({ msg: z.string().trim().min(1).max(500) });

/**
 * `POST /api/tournament`: an arena. `minutes` it lasts, starting `startsInSeconds` from now;
 * `berserkable`: players may berserk; `streaks`: two wins in a row put a player on fire.
 */
export const TournamentCreate = z.object({
  name: z.string().trim().min(2).max(30),
  clock: ClockConfig,
  minutes: z.number().int().min(1).max(720),
  startsInSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(0),
  berserkable: z.boolean().default(true),
  streaks: z.boolean().default(true),
});
export type TournamentCreate = z.infer<typeof TournamentCreate>;

/** `GET /api/tournament/:id?page=N`: standings in pages of 10 from 1. */
export const StandingsQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });

/** One result on a player's sheet: `r` win, draw or loss, the points it scored, whether on fire. */
export const SheetEntry = z.object({
  g: z.string(),
  r: z.enum(['win', 'draw', 'loss']),
  p: z.number().int(),
  fire: z.boolean(),
  berserk: z.boolean(),
});
export type SheetEntry = z.infer<typeof SheetEntry>;

export const StandingPlayer = z.object({
  id: z.string(),
  name: z.string(),
  rating: z.number().int(),
  score: z.number().int(),
  fire: z.boolean(),
  sheet: z.array(SheetEntry),
});
export type StandingPlayer = z.infer<typeof StandingPlayer>;

export const TournamentStatus = z.enum(['created', 'started', 'finished']);
export type TournamentStatus = z.infer<typeof TournamentStatus>;

/** A tournament, as the API gives it (times in ms since the epoch). */
export const TournamentJson = z.object({
  id: z.string(),
  name: z.string(),
  status: TournamentStatus,
  clock: ClockConfig,
  minutes: z.number().int(),
  berserkable: z.boolean(),
  streaks: z.boolean(),
  startsAt: z.number().int(),
  finishesAt: z.number().int(),
  nbPlayers: z.number().int(),
});
export type TournamentJson = z.infer<typeof TournamentJson>;

/** `GET /api/tournament/:id`: the tournament and one page of its standings. */
export const TournamentPage = TournamentJson.extend({
  standing: z.object({ page: z.number().int(), players: z.array(StandingPlayer) }),
});
export type TournamentPage = z.infer<typeof TournamentPage>;

/**
 * `GET /api/tournament/:id/me` (signed in): one's place in the arena, null when one never joined:
 * rank in the standings, paused (withdrawn) or not, the arena game one plays now (null: none).
 */
export const TournamentMe = z.object({
  me: z.object({ rank: z.number().int(), withdrawn: z.boolean(), game: z.string().nullable() }).nullable(),
});
export type TournamentMe = z.infer<typeof TournamentMe>;
