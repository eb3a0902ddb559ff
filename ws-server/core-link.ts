import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { RoomName } from '../protocol/channels.js';
import type { ClientAction } from '../protocol/client-in.js';
import { SOCKETS_PAGE, type Join } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';

import { createAcks } from './acks.js';
import { createHeldMoves, PROBE_MS } from './held-moves.js';
import { createJoins, type JoinAnswer } from './joins.js';
import { createSiteIn, type Loss, type RelayMessage, type SocketMessage, type Unnumbered } from './site-in.js';

export type { JoinAnswer } from './joins.js';
/** How a socket asks lila-core to admit it (CoreIn `join`). */
type JoinRole = z.infer<typeof Join>['d']['role'];
export type ReportedSocket = Extract<RelayMessage, { t: 'sockets' }>['d']['sockets'][number];

/**
 * Everything the relay says to lila-core: numbered envelopes on `site-in`, kept for resends
 * (site-in.ts), a heartbeat, and join requests that await their answer on the relay channel
 * (joins.ts).
 *
 * A message counts as delivered only when Redis handed it to a subscriber (PUBLISH returns how
 * many). When nobody listens (lila-core restarting), moves are held in order and published again
 * once it is back (held-moves.ts); other actions are refused. A move stamped with an ack id is
 * sent again until lila-core answers it (acks.ts).
 */
export function createCoreLink(o: {
  relayId: string;
  boot: string;
  publisher: Redis;
  log: Logger;
  joinTimeoutMs: number;
  /** Whether both of the relay's Redis connections are up: without them nothing can be delivered. */
  connected: () => boolean;
  /** Whether socket `sid` is still open. */
  open?: (sid: string) => boolean;
}) {
  const siteIn = createSiteIn(o);
  const held = createHeldMoves<Unnumbered>({
    number: (message) => siteIn.number(message),
    heard: (payload) => siteIn.heard(payload),
    listening: () => siteIn.listening(),
    log: o.log,
  });
  const joins = createJoins<ReportedSocket>(o.joinTimeoutMs);

  /** Resolves to whether lila-core received the message; a critical one (a move) is held if not. */
  async function deliver(message: Unnumbered, critical: boolean): Promise<boolean> {
    if (held.holding || !o.connected()) return critical ? held.hold(message) : false;
    const payload = siteIn.number(message);
    if (await siteIn.heard(payload)) return true;
    return critical ? held.hold(message, payload) : false;
  }
  /** Runs `then` once both Redis connections are up (now, or at a later try). */
  const whenConnected = (then: () => void): void => {
    if (o.connected()) return then();
    setTimeout(() => whenConnected(then), PROBE_MS).unref();
  };
  const acks = createAcks<SocketMessage>({ send: (message) => deliver(message, true), log: o.log });

  return {
    /** `at`: when the relay received the action (ms since the epoch), stamped on its envelope. */
    action(sid: string, user: string | null, room: RoomName, action: ClientAction, at: number): Promise<boolean> {
      const message: SocketMessage = { sid, user, room, at, ...action };
      if (action.t === 'move' && action.d.a !== undefined) return acks.send(sid, action.d.a, message);
      return deliver(message, action.t === 'move');
    },

    /**
     * Whether a move stamped `a` would be one too many awaiting lila-core's answer: `socket` (this
     * socket has MAX_UNANSWERED_PER_SOCKET), `relay` (MAX_UNANSWERED in all). Refused, not sent.
     */
    unansweredFull: (sid: string, a: number): 'socket' | 'relay' | undefined => acks.full(sid, a),
    /** lila-core answered the move, or the socket gave up on it: false for a second answer. */
    answered: (sid: string, a: number): boolean => acks.answered(sid, a),
    /** The socket closed: its moves are no longer waited for, nor its losses remembered. */
    forget: (sid: string): void => {
      acks.forget(sid);
      siteIn.forget(sid);
    },

    join(sid: string, user: string | null, room: RoomName, role: JoinRole): Promise<JoinAnswer> {
      return joins.join(sid, { sid, user, room, role }, () =>
        deliver({ sid, user, room, t: 'join', d: { role } }, false),
      );
    },
    answerJoin: (sid: string, answer: JoinAnswer): void => joins.answer(sid, answer),
    /** A frame for a socket admitted and not yet open: held for it (true), or not such a socket. */
    holdFrame: (sid: string, frame: Buffer): boolean => joins.hold(sid, frame),
    /** The socket's upgrade goes on after its answer: what was held for it. */
    releaseFrames: (sid: string): Buffer[] => joins.release(sid),
    /** Sockets whose join awaits lila-core's answer. */
    joining: (): ReportedSocket[] => joins.waiting(),

    whenConnected,

    /**
     * The socket is gone from its game room (closed, or its upgrade failed after the join). Not held
     * while lila-core is away: a restarted lila-core knows of no socket anyway.
     */
    leave(sid: string, user: string | null, room: RoomName): void {
      // A failed publish was numbered and kept first: lila-core sees the gap and has it resent.
      deliver({ sid, user, room, t: 'leave' }, false).catch(() => undefined);
    },

    /** Who is online here; numbered, so that a loss is noticed and resent like any message. */
    online(d: Extract<RelayMessage, { t: 'online' }>['d']): void {
      // As for a leave: numbered and kept before the publish that failed.
      deliver({ t: 'online', d }, false).catch(() => undefined);
    },

    /** Every socket lila-core admitted, in pages: for a lila-core that does not know them (or lost some). */
    sockets(all: ReportedSocket[]): void {
      for (let at = 0; at === 0 || at < all.length; at += SOCKETS_PAGE) {
        const d = {
          sockets: all.slice(at, at + SOCKETS_PAGE),
          ...(at === 0 && { first: true as const }),
          ...(at + SOCKETS_PAGE >= all.length && { last: true as const }),
        };
        // As for a leave: a page numbered, then lost, is resent on lila-core's ask.
        deliver({ t: 'sockets', d }, false).catch(() => undefined);
      }
    },

    /**
     * Users that may have missed frames of their channel: one socket that opened (`sid`, in `room`),
     * or every user here after the subscription was made again. lila-core sends them again.
     */
    pending(users: string[], socket?: { sid: string; room: RoomName }): void {
      for (let at = 0; at < users.length; at += SOCKETS_PAGE) {
        const d = { users: users.slice(at, at + SOCKETS_PAGE), ...socket };
        // As for a leave: numbered and kept before the publish that failed.
        deliver({ t: 'pending', d }, false).catch(() => undefined);
      }
    },

    /**
     * lila-core saw a gap: what is kept is resent. Messages no longer kept are declared lost, and
     * what was in doubt is settled here: held moves numbered among them are numbered again, the
     * stamped moves of their sockets go again now, and their joins are answered 504. Returns that
     * loss (once), for the relay to tell those sockets and report its state again.
     */
    resend(boot: string, from: number): Loss | undefined {
      const loss = siteIn.resend(boot, from);
      if (!loss) return undefined;
      held.renumber((seq) => seq >= loss.from && seq < loss.to);
      for (const sid of loss.sids) {
        acks.hurry(sid);
        joins.answer(sid, { status: 504 });
      }
      return loss;
    },
    /** Tells lila-core the latest version held of each room: it replays what was missed. */
    askVersions: (rooms: Record<string, number>): void => siteIn.askVersions(rooms),
    tick: (): void => siteIn.tick(),
    /** lila-core announced its shutdown: hold moves and refuse the rest, until it is back. */
    pause: (): void => held.pause(),
    /** lila-core announced its start: deliver what is held now, rather than at the next probe. */
    resume: (): void => held.resume(),
    /** Resolves once nothing is held for lila-core any more, or at `deadline` (ms since the epoch). */
    drained: (deadline: number): Promise<void> => held.drained(deadline),

    get held(): number {
      return held.size;
    },

    close(): void {
      held.close();
      acks.close();
    },
  };
}
export type CoreLink = ReturnType<typeof createCoreLink>;
