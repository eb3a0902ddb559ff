import type { Redis } from 'ioredis';
import type { RoomName } from '../protocol/channels.js';
import type { ClientAction } from '../protocol/client-in.js';
import type { Logger } from '../src/log.js';
import { createAcks } from './acks.js';
import { createHeldMoves } from './held-moves.js';
import { createJoins, type JoinAnswer } from './joins.js';
import { createSiteIn, type RelayMessage, type SocketMessage, type Unnumbered } from './site-in.js';

export type { JoinAnswer } from './joins.js';

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
}) {
  const siteIn = createSiteIn(o);
  const held = createHeldMoves<Unnumbered>({
    number: (message) => siteIn.number(message),
    heard: (payload) => siteIn.heard(payload),
    listening: () => siteIn.listening(),
    log: o.log,
  });
  const joins = createJoins(o.joinTimeoutMs);

  /** Resolves to whether lila-core received the message; a critical one (a move) is held if not. */
  async function deliver(message: Unnumbered, critical: boolean): Promise<boolean> {
    if (held.holding || !o.connected()) return critical ? held.hold(message) : false;
    const payload = siteIn.number(message);
    if (await siteIn.heard(payload)) return true;
    return critical ? held.hold(message, payload) : false;
  }
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
    /** The socket closed: its moves are no longer waited for. */
    forget: (sid: string): void => acks.forget(sid),

    join(sid: string, user: string | null, room: RoomName, role: 'play' | 'watch' | 'lobby'): Promise<JoinAnswer> {
      return joins.join(sid, () => deliver({ sid, user, room, t: 'join', d: { role } }, false));
    },
    answerJoin: (sid: string, answer: JoinAnswer): void => joins.answer(sid, answer),

    /**
     * The socket is gone from its game room (closed, or its upgrade failed after the join). Not held
     * while lila-core is away: a restarted lila-core knows of no socket anyway.
     */
    leave(sid: string, user: string | null, room: RoomName): void {
      // A failed publish was numbered and kept first: lila-core sees the gap and has it resent.
      deliver({ sid, user, room, t: 'leave' }, false).catch(() => undefined);
    },

    /** Who is online here; numbered, so that a loss is noticed and resent like any message. */
    online(d: RelayMessage['d']): void {
      // As for a leave: numbered and kept before the publish that failed.
      deliver({ t: 'online', d }, false).catch(() => undefined);
    },

    resend: (boot: string, from: number): void => siteIn.resend(boot, from),
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
