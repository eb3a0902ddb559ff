import { z } from 'zod';
import { GameJson } from './game.js';

/** Data shapes of the user API. */

/** The rating categories: lichess's speeds, ultraBullet counted as bullet. */
export const RatedSpeed = z.enum(['bullet', 'blitz', 'rapid', 'classical']);
export type RatedSpeed = z.infer<typeof RatedSpeed>;

/** One speed's Glicko-2 rating, rounded, and how many rated games made it. */
export const PerfJson = z.object({ rating: z.number().int(), rd: z.number().int(), games: z.number().int() });
export type PerfJson = z.infer<typeof PerfJson>;

/** Finished games that were not aborted, rated or not. */
export const CountJson = z.object({
  games: z.number().int(),
  win: z.number().int(),
  loss: z.number().int(),
  draw: z.number().int(),
});
export type CountJson = z.infer<typeof CountJson>;

/** `GET /api/user/:id`. */
export const UserJson = z.object({
  id: z.string(),
  name: z.string(),
  ratings: z.object({ bullet: PerfJson, blitz: PerfJson, rapid: PerfJson, classical: PerfJson }),
  count: CountJson,
});
export type UserJson = z.infer<typeof UserJson>;

/** `GET /api/user/:id/games?page=N`: newest first; `next` is the following page, if any. */
export const UserGamesJson = z.object({
  games: z.array(GameJson),
  page: z.number().int().positive(),
  next: z.number().int().positive().nullable(),
});
export type UserGamesJson = z.infer<typeof UserGamesJson>;
