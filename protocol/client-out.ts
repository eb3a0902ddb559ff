import { z } from 'zod';
import { ChallengeJson, Clocks, Color, GameJson, Status, Uci } from './game.js';

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
  'unavailable',
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
  d: z.object({ winner: Color.nullable(), status: Status }),
});

/** On `user:<id>`: someone challenges you. */
export const ChallengeEvent = z.object({ t: z.literal('challenge'), d: ChallengeJson });
export const ChallengeDeclined = z.object({ t: z.literal('challengeDeclined'), d: ChallengeJson });
export const ChallengeCanceled = z.object({ t: z.literal('challengeCanceled'), d: ChallengeJson });

/** On `user:<id>`: go to this game. */
export const Redirect = z.object({ t: z.literal('redirect'), d: z.object({ id: z.string() }) });

export const ClientOut = z.union([
  Pong,
  z.discriminatedUnion('t', [
    Ack,
    ErrorFrame,
    State,
    MoveEvent,
    EndEvent,
    ChallengeEvent,
    ChallengeDeclined,
    ChallengeCanceled,
    Redirect,
  ]),
]);
export type ClientOut = z.infer<typeof ClientOut>;
export type ClientOutOf<T extends Exclude<ClientOut, 0>['t']> = Extract<ClientOut, { t: T }>;

/** The serialized error frame, as relay and core both send it. */
export const errorFrame = (code: ErrorCode, message: string): string =>
  JSON.stringify({ t: 'error', d: { code, message } } satisfies z.infer<typeof ErrorFrame>);
