import { z } from 'zod';
import { ClientAction } from './client-in.js';
import { isRoomName } from './channels.js';

/**
 * CoreIn: what relays publish on `site-in`, one JSON envelope per message.
 *
 * Each relay numbers its messages (`seq`, from 1 per `boot`), so lila-core can see a gap
 * when Redis drops its subscriber, and ask for a resend (see CoreOut `resend`).
 */

const fromRelay = {
  relay: z.string().min(1),
  /** Random per relay process: a restarted relay numbers from 1 again. */
  boot: z.string().min(1),
};

const fromSocket = {
  ...fromRelay,
  seq: z.number().int().positive(),
  /** Socket id, unique within its relay. */
  sid: z.string().min(1),
  /** From the verified token, never from the payload. `null` for a socket without a token. */
  user: z.string().nullable(),
  room: z.string().refine(isRoomName, 'a room name'),
  /**
   * When the relay received the client's action, in ms since the epoch, by the relay's clock (never
   * from the payload): lila-core charges a move's think time up to here, not up to when its queue
   * got to it. Set on client actions; absent on `join` and `leave`.
   */
  at: z.number().int().nonnegative().optional(),
};

/**
 * A socket asks to join a game room (`play`, `watch`) or the lobby (`lobby`); lila-core answers
 * `join` on the relay channel with the first frame.
 */
export const Join = z.object({
  t: z.literal('join'),
  // `tournament`: a tournament page, admitted with the room's version and counted as waiting there.
  d: z.object({ role: z.enum(['play', 'watch', 'lobby', 'tournament']) }),
});

/** Sent every second: lets lila-core notice trailing losses and silent relays. */
export const Tick = z.object({
  ...fromRelay,
  t: z.literal('tick'),
  d: z.object({ last: z.number().int().nonnegative() }),
});

/**
 * The relay may have missed events (its Redis subscription was cut, lila-core came back, or a
 * version came out of order): here is the latest version it has of each room. lila-core replays
 * what it still keeps after those (`replay`), then says each room's latest version (`versions`).
 * Unnumbered, like `tick`: asking twice is harmless.
 */
export const VersionsAsk = z.object({
  ...fromRelay,
  t: z.literal('versions'),
  d: z.object({
    rooms: z
      .record(z.string(), z.number().int().nonnegative())
      .refine((rooms) => Object.keys(rooms).every(isRoomName), 'room names'),
  }),
});

/**
 * The relay asks for lila-core's whole list of revoked sessions, answered with `revoked` pages on
 * its channel: whenever its subscription to Redis is made or made again (it starts, or it may have
 * missed revocations while cut off), and again every few seconds until the list has come.
 * Unnumbered, like `tick`: asking twice is harmless.
 */
export const RevocationsAsk = z.object({ ...fromRelay, t: z.literal('revocations') });

/**
 * A socket left a game room (closed, or its upgrade failed after `join`): lila-core counts the
 * crowd and notices a player gone from what relays say joined and left.
 */
export const Leave = z.object({ t: z.literal('leave') });

/** What a socket does: every client action, and joining and leaving its room. */
const SocketAction = z.discriminatedUnion('t', [...ClientAction.options, Join, Leave]);
/** Everything a socket does, stamped by its relay. */
export type SocketEnvelope = z.infer<z.ZodObject<typeof fromSocket>> & z.infer<typeof SocketAction>;
/**
 * Each kind of socket action with the relay's fields, one object per kind: lila-core's parse of a
 * message picks its schema by `t` and reads each field once (an intersection of the relay's fields
 * with the union of actions parsed both sides and merged them, for every move).
 */
const [firstKind, ...otherKinds] = SocketAction.options.map((kind) => kind.extend(fromSocket));
const socketKinds = [firstKind, ...otherKinds] as const;
export const SocketEnvelope = z.discriminatedUnion('t', socketKinds) as unknown as z.ZodType<SocketEnvelope>;

/**
 * Who is online on this relay, numbered like socket messages: users whose first socket opened
 * (`add`) and users whose last socket has been closed for a while (`remove`). With `all`, `add` is
 * the relay's complete list, sent when lila-core asks (`sync`), after its own restart for one.
 */
export const Online = z.object({
  ...fromRelay,
  seq: z.number().int().positive(),
  t: z.literal('online'),
  d: z.object({ add: z.array(z.string()), remove: z.array(z.string()), all: z.boolean().optional() }),
});

/**
 * lila-core asked for messages the relay no longer keeps (`resend` from before its log): those
 * from `from` to `to - 1` are lost for good, and the numbering goes on at `to` (the oldest message
 * still kept, resent right after this). lila-core takes the next message from `to` rather than
 * waiting forever. The relay then answers what was in doubt: its sockets whose messages were lost
 * hear `unavailable`, their stamped moves go again, and it reports who is online and every socket
 * (`online` with `all`, `sockets`). Unnumbered: said again at each `resend` for the same loss.
 */
export const Lost = z.object({
  ...fromRelay,
  t: z.literal('lost'),
  d: z.object({ from: z.number().int().positive(), to: z.number().int().positive() }),
});

/** One socket in a `sockets` report: its room, and how it was admitted (`role` of its `join`). */
export const ReportedSocket = z.object({
  sid: z.string().min(1),
  user: z.string().nullable(),
  room: z.string().refine(isRoomName, 'a room name'),
  role: z.enum(['play', 'watch', 'lobby', 'tournament']),
});

/**
 * Every socket of the relay that lila-core admits (`/play`, `/watch`, `/lobby`), in pages of
 * SOCKETS_PAGE, numbered like socket messages: sent with `online` `all` when lila-core asks (`sync`:
 * it restarted and knows none), and after a `lost`. The first page has `first`, the final one
 * `last`; lila-core counts them in crowds and the lobby as if they joined again, and forgets that
 * relay's sockets the report did not name (their `leave` was lost).
 */
export const Sockets = z.object({
  ...fromRelay,
  seq: z.number().int().positive(),
  t: z.literal('sockets'),
  d: z.object({
    sockets: z.array(ReportedSocket),
    first: z.literal(true).optional(),
    last: z.literal(true).optional(),
  }),
});
export const SOCKETS_PAGE = 500;

/**
 * A signed-in socket opened, or (without `sid`) the relay's subscription was made again and it may
 * have missed user frames for `users`: lila-core sends again each user's pending challenges and the
 * redirect to a game of theirs that has just started, to that socket or to the relay's sockets of
 * each user (CoreOut `again`). Numbered, so that a loss is resent like any message.
 */
export const Pending = z.object({
  ...fromRelay,
  seq: z.number().int().positive(),
  t: z.literal('pending'),
  d: z.object({
    users: z.array(z.string().min(1)).max(SOCKETS_PAGE),
    sid: z.string().min(1).optional(),
    room: z.string().refine(isRoomName, 'a room name').optional(),
  }),
});

export type CoreIn =
  | z.infer<typeof Tick>
  | z.infer<typeof VersionsAsk>
  | z.infer<typeof RevocationsAsk>
  | z.infer<typeof Lost>
  | z.infer<typeof Online>
  | z.infer<typeof Sockets>
  | z.infer<typeof Pending>
  | SocketEnvelope;
/** By `t`: one schema tried per message, not each in turn until one fits (the socket kinds as above). */
export const CoreIn = z.discriminatedUnion('t', [
  Tick,
  VersionsAsk,
  RevocationsAsk,
  Lost,
  Online,
  Sockets,
  Pending,
  ...socketKinds,
]) as unknown as z.ZodType<CoreIn>;

/** The one way a relay's message for `site-in` becomes text. */
export const encodeCoreIn = (message: CoreIn): string => JSON.stringify(message);
