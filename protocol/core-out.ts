import { z } from 'zod';

/**
 * CoreOut: what lila-core publishes for relays. Each Redis message is one header line of JSON,
 * a newline, then the frame exactly as sockets receive it. A relay parses only the header and
 * passes the frame bytes on untouched, to one socket or to a whole room through a uWS topic.
 */

/**
 * Who in a game room sees an event in full; everyone else gets `{"v":N}` alone, so that every
 * socket's versions stay contiguous. Absent means everyone.
 */
export const Audience = z.enum(['players', 'spectators', 'white', 'black']);
export type Audience = z.infer<typeof Audience>;

/**
 * A versioned room event as kept for sockets that come back and relays that missed it: lila-core
 * keeps the frame as text, a relay as the bytes it received. The one record type for both.
 */
export type KeptEvent<Frame> = { v: number; to?: Audience; frame: Frame };

/** On a room channel (`game:<id>`, `user:<id>`, `lobby`, `site`, ...): the frame goes to the room. */
export const RoomEvent = z.object({
  t: z.literal('room'),
  v: z.number().int().nonnegative().optional(),
  to: Audience.optional(),
  /**
   * The room's versions start afresh here (the lobby of a restarted lila-core): the frame is the
   * room's whole state, and relays take it as the next event whatever came before.
   */
  reset: z.literal(true).optional(),
});

/**
 * On `relay:<id>`: the frame goes to one socket. With `a`, it answers (acks or refuses) the move
 * that socket stamped `a`, and the relay stops sending that move again.
 */
export const TellSocket = z.object({
  t: z.literal('sid'),
  sid: z.string(),
  a: z.number().int().nonnegative().optional(),
});

/**
 * On `relay:<id>`: the answer to a `join`; with 200 the frame is the first `state` at version
 * `v`, and `color` says which side the socket plays (absent for spectators).
 */
export const JoinReply = z.object({
  t: z.literal('join'),
  sid: z.string(),
  status: z.union([z.literal(200), z.literal(403), z.literal(404)]),
  color: z.enum(['white', 'black']).optional(),
  /** The version of the state in the frame. */
  v: z.number().int().nonnegative().optional(),
});

/** On `relay:<id>`: lila-core missed messages; publish again those numbered `from` onwards. */
export const Resend = z.object({ t: z.literal('resend'), boot: z.string(), from: z.number().int().positive() });

/**
 * On `relay:<id>`: lila-core does not know who is online there, nor its sockets (it just started):
 * say it all (`online` with `all`, then `sockets`).
 */
export const Sync = z.object({ t: z.literal('sync') });

/** On `relay:<id>`, from the relay itself: a timestamped probe, to measure Redis's round trip. */
export const Probe = z.object({ t: z.literal('probe'), at: z.number() });

/**
 * On `relays`: lila-core stops consuming `site-in` (a deploy). Relays hold moves from now on and
 * refuse other actions, rather than finding out message by message.
 */
export const CoreDown = z.object({ t: z.literal('coreDown') });

/** On `relays`: lila-core (re)started and consumes `site-in`; held moves may go now. */
export const CoreUp = z.object({ t: z.literal('coreUp') });

/**
 * On `relay:<id>`, answering `versions`: a room event the relay missed, as first published on the
 * room's channel (`room` names it), sent again from the events lila-core keeps.
 */
export const Replay = RoomEvent.extend({ t: z.literal('replay'), room: z.string(), v: z.number().int().nonnegative() });

/**
 * On `relay:<id>`, after the replays: the latest version of each room asked about (absent: no such
 * room). A relay still behind on a room missed more than lila-core keeps: its sockets reconnect.
 */
export const Versions = z.object({ t: z.literal('versions'), d: z.record(z.string(), z.number().int().nonnegative()) });

/**
 * On `relay:<id>`, answering `pending`: an unversioned frame of `room` (a user's challenge, a
 * redirect) the relay's sockets of that room may have missed, sent again to them alone.
 */
export const Again = z.object({ t: z.literal('again'), room: z.string() });

/** At most this many revoked sessions in one `revoked` message: a whole list comes in pages. */
export const REVOKED_PAGE = 1000;

/**
 * Revoked sessions (`DELETE /api/session`), each with its token's expiry in seconds, after which
 * the token is refused anyway and the relay forgets it. On `relays`: one revocation, as it happens.
 * On `relays` when lila-core starts, and on `relay:<id>` when that relay asks (`revocations`):
 * lila-core's whole list, in pages, `last` on the final one. A relay closes the sockets opened with
 * those sessions (4001) and refuses them at upgrade (401).
 */
export const Revoked = z.object({
  t: z.literal('revoked'),
  d: z.array(z.object({ id: z.string().min(1).max(64), exp: z.number().int() })).max(REVOKED_PAGE),
  last: z.literal(true).optional(),
});
export type Revoked = z.infer<typeof Revoked>;

export const CoreOut = z.discriminatedUnion('t', [
  Sync,
  Probe,
  RoomEvent,
  TellSocket,
  JoinReply,
  Resend,
  CoreDown,
  CoreUp,
  Versions,
  Replay,
  Again,
  Revoked,
]);
export type CoreOut = z.infer<typeof CoreOut>;
