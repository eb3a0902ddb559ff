import { z } from 'zod';
import { ChallengeColor, ClockConfig } from './game.js';

/** Bodies of the HTTP API on lila-core. */

export const UserName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{2,20}$/, 'a name of 2 to 20 characters among A-Z, a-z, 0-9, _ and -');

export const Password = z.string().min(4, 'at least 4 characters').max(256, 'at most 256 characters');

export const AccountCreate = z.object({ name: UserName, password: Password });

/** With a name and password, a session for that account; with `{}`, an anonymous one. */
export const SessionCreate = z.union([z.object({ name: z.string(), password: z.string() }), z.object({}).strict()]);

export const ChallengeCreate = z.object({ clock: ClockConfig, color: ChallengeColor.default('random') });

/** Every HTTP error: `{"error":{"code","message"}}` with a 4xx (or 503) status. */
export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;
