import type { Redis } from 'ioredis';
import { SITE_IN } from '../protocol/channels.js';
import { encodeCoreIn, type CoreIn, type SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import { writeTogether } from '../src/redis.js';
import { createOutbox, type Numbered } from './outbox.js';

/** Without the fields the relay adds, on each kind of a union. */
type Bare<M> = M extends unknown ? Omit<M, 'relay' | 'boot' | 'seq'> : never;
/** A socket's message before it is numbered (relay, boot and seq are added here). */
export type SocketMessage = Bare<SocketEnvelope>;
/** The relay's own numbered messages: who is online here, its sockets, users that may have missed frames. */
export type RelayMessage = Bare<Extract<CoreIn, { t: 'online' | 'sockets' | 'pending' }>>;
export type Unnumbered = SocketMessage | RelayMessage;
export type { Numbered } from './outbox.js';

/** A loss lila-core found beyond the log: the sockets whose messages went, to be answered. */
export type Loss = { from: number; to: number; sids: string[] };

/** How many numbered messages are kept, for lila-core to ask again. */
const KEPT = 10_000;

/**
 * What the relay publishes on `site-in`. Messages are numbered per boot, and the last ones kept,
 * so that lila-core, seeing a gap in the numbers (Redis drops a subscriber that falls behind), can
 * ask for them again (`resend`). The tick and the versions ask go unnumbered: one lost or repeated
 * is harmless.
 *
 * Redis commands wait through a reconnect (ioredis, no retry limit), so a publish fails only on a
 * connection closed for good (the relay stopping) or an error reply.
 */
export function createSiteIn(o: {
  relayId: string;
  boot: string;
  publisher: Redis;
  log: Logger;
  /** Whether both of the relay's Redis connections are up: without them nothing can be delivered. */
  connected: () => boolean;
  /** Whether socket `sid` is still open. */
  open?: (sid: string) => boolean;
}) {
  const outbox = createOutbox(KEPT, o.open);
  const together = writeTogether(o.publisher);
  const relay = { relay: o.relayId, boot: o.boot };
  /** Numbers below this were declared lost (`lost`): a loss is answered once, however often asked. */
  let lostUpTo = 0;
  const publish = (payload: string): void =>
    // A failed publish: lila-core still sees the gap, and asks again a second later.
    void o.publisher.publish(SITE_IN, payload).catch(() => undefined);

  return {
    /** Socket `sid` closed: a loss of its messages concerns nobody now. */
    forget: (sid: string): void => outbox.forget(sid),

    /** The message numbered and kept: the text to publish, now and on a resend. */
    number(message: Unnumbered): Numbered {
      return outbox.add(
        (seq) => encodeCoreIn({ ...relay, seq, ...message }),
        'sid' in message ? message.sid : undefined,
      );
    },

    /**
     * Publishes a numbered message; resolves to whether lila-core heard it (PUBLISH returns how
     * many subscribers did). Not queued in ioredis's offline queue while Redis is down: the caller
     * holds what must not be lost, bounded and in order.
     */
    heard({ payload }: Numbered): Promise<boolean> {
      if (!o.connected()) return Promise.resolve(false);
      together();
      return o.publisher.publish(SITE_IN, payload).then((n) => n > 0);
    },

    /** Whether lila-core subscribes to `site-in`: when nothing is held to try with, this says it is back. */
    listening(): Promise<boolean> {
      if (!o.connected()) return Promise.resolve(false);
      return (
        o.publisher
          .pubsub('NUMSUB', SITE_IN)
          .then((r) => Number(r[1]) > 0)
          // A failed question is a "not yet": the caller asks again at its next probe.
          .catch(() => false)
      );
    },

    /**
     * lila-core saw a gap in this boot's numbers: publish again what is kept from `from` on. What is
     * no longer kept is declared lost first (`lost`), so that lila-core goes on from the oldest kept;
     * returns that loss the first time it is declared, for its sockets to be answered.
     */
    resend(boot: string, from: number): Loss | undefined {
      if (boot !== o.boot) return undefined;
      const { payloads, lost } = outbox.since(from);
      const to = from + lost;
      if (lost) {
        o.log.error(
          { from, to, kept: payloads.length },
          'lila-core asked for messages no longer kept; going on without them',
        );
        publish(encodeCoreIn({ ...relay, t: 'lost', d: { from, to } }));
      } else if (payloads.length) o.log.warn({ from, count: payloads.length }, 'resending to lila-core');
      payloads.forEach(publish);
      if (!lost || to <= lostUpTo) return undefined;
      lostUpTo = to;
      return { from, to, sids: outbox.lostBy(from) };
    },

    /** Tells lila-core the latest version held of each room: it replays what was missed. */
    askVersions(rooms: Record<string, number>): void {
      if (!Object.keys(rooms).length || !o.connected()) return;
      // Lost, a room's gap is given up after its replay timeout (repair.ts): its sockets reconnect.
      void o.publisher.publish(SITE_IN, encodeCoreIn({ ...relay, t: 'versions', d: { rooms } })).catch(() => undefined);
    },

    /** Every second: the last number given, for lila-core to notice a loss at the tail, and that we live. */
    tick(): void {
      if (o.publisher.status !== 'ready') return;
      // The next tick says the same a second later.
      void o.publisher
        .publish(SITE_IN, encodeCoreIn({ ...relay, t: 'tick', d: { last: outbox.last } }))
        .catch(() => undefined);
    },
  };
}
export type SiteIn = ReturnType<typeof createSiteIn>;
