import type { Redis } from 'ioredis';
import { RELAYS, SITE_IN } from '../protocol/channels.js';
import { CloseCode } from '../protocol/client-in.js';
import { encodeCoreIn } from '../protocol/core-in.js';
import type { Revoked } from '../protocol/core-out.js';
import type { Logger } from '../src/log.js';
import type { Socket } from './socket-data.js';

/** Revoked sessions kept at most: twice lila-core's own bound (lila-core/users/revocations.ts). */
const MAX_REVOKED = 200_000;
/** While the whole list has not come, it is asked for again this often. */
const ASK_EVERY_MS = 2_000;
/** Expired revocations are swept when one is heard, at most this often. */
const SWEEP_EVERY_S = 60;

/**
 * The sessions lila-core has revoked (`DELETE /api/session`), for a relay that verifies tokens by
 * itself: upgrades with them are refused (401), and sockets opened with them are closed (4001) as
 * soon as the relay hears of it. Heard one at a time on `relays`, and as a whole list: asked for on
 * `site-in` whenever the relay's subscription to Redis is made again (it starts, or it was cut off
 * and may have missed some) until it comes, and sent by lila-core to all when it starts. Each is
 * kept until its token expires, after which the token is refused anyway; past MAX_REVOKED (which
 * lila-core never lets happen), those expiring first go.
 */
export function createRevocations(o: {
  relayId: string;
  boot: string;
  publisher: Redis;
  subscriber: Redis;
  /** This relay's channel, where lila-core answers. */
  ownChannel: string;
  sockets: ReadonlyMap<string, Socket>;
  log: Logger;
  nowSeconds?: () => number;
  max?: number;
  askEveryMs?: number;
}) {
  const nowSeconds = o.nowSeconds ?? (() => Date.now() / 1000);
  const max = o.max ?? MAX_REVOKED;
  /** session id → its token's expiry, in seconds. */
  const revoked = new Map<string, number>();
  let known = false;
  let asking = false;
  let askTimer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];
  let sweptAt = 0;

  const sweep = () => {
    const now = nowSeconds();
    sweptAt = now;
    for (const [id, exp] of revoked) if (exp <= now) revoked.delete(id);
    if (revoked.size <= max) return;
    o.log.error({ size: revoked.size }, 'too many revoked sessions: those expiring first are forgotten');
    const soonest = [...revoked].sort((a, b) => a[1] - b[1]).slice(0, revoked.size - max);
    for (const [id] of soonest) revoked.delete(id);
  };

  function ask(): void {
    clearTimeout(askTimer);
    if (!asking) return;
    askTimer = setTimeout(ask, o.askEveryMs ?? ASK_EVERY_MS);
    const message = encodeCoreIn({ relay: o.relayId, boot: o.boot, t: 'revocations' });
    // Asked again shortly, until the list comes; a lila-core away sends it to all when it starts.
    o.publisher.publish(SITE_IN, message).catch(() => undefined);
  }

  /** Subscribed first (again: harmless), so that the answer on our channel cannot come before it. */
  const subscribedThenAsk = () => {
    asking = true;
    o.subscriber.subscribe(o.ownChannel, RELAYS).then(ask, (err: Error) =>
      // The subscription fails only with Redis; its next `ready` asks again.
      o.log.warn({ err: err.message }, 'could not subscribe to ask for the revoked sessions'),
    );
  };
  o.subscriber.on('ready', subscribedThenAsk);
  if (o.subscriber.status === 'ready') subscribedThenAsk();

  return {
    /** Whether the relay has had lila-core's whole list once: until then it cannot tell. */
    get known(): boolean {
      return known;
    },

    has: (sessionId: string): boolean => revoked.has(sessionId),

    /** Resolves once the whole list has come, or after `timeoutMs`. */
    whenKnown(timeoutMs: number): Promise<void> {
      if (known) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        waiters.push(() => (clearTimeout(timer), resolve()));
      });
    },

    /** A `revoked` message: kept, and every socket opened with one of them closed. */
    heard(message: Revoked): void {
      const now = nowSeconds();
      const added = new Set<string>();
      for (const { id, exp } of message.d)
        if (exp > now && !revoked.has(id)) {
          revoked.set(id, exp);
          added.add(id);
        }
      if (revoked.size > max || now - sweptAt >= SWEEP_EVERY_S) sweep();
      if (added.size)
        for (const ws of o.sockets.values()) {
          const data = ws.getUserData();
          if (data.session !== undefined && added.has(data.session) && !data.closed)
            ws.end(CloseCode.revoked, 'this session was revoked: sign in again');
        }
      if (!message.last) return;
      known = true;
      asking = false;
      clearTimeout(askTimer);
      waiters.forEach((wake) => wake());
      waiters = [];
    },

    /** Forgets revocations whose token has expired. */
    sweep,

    get size(): number {
      return revoked.size;
    },

    close(): void {
      asking = false;
      clearTimeout(askTimer);
      o.subscriber.off('ready', subscribedThenAsk);
    },
  };
}
export type Revocations = ReturnType<typeof createRevocations>;
