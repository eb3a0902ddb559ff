import type { Db } from 'mongodb';
import { REVOKED_PAGE, type Revoked } from '../../protocol/core-out.js';
import type { Logger } from '../../src/log.js';

/**
 * Revoked sessions (`DELETE /api/session`). Relays verify tokens alone, so a revocation must reach
 * them: each is stored in `revoked_sessions` (it survives a restart), kept in memory for the API,
 * and published to every relay; a relay that starts or was cut off from Redis asks for the whole
 * list, and lila-core sends it to all when it starts. Each is kept until its token expires, after
 * which the token is refused anyway. They are bounded: past MAX_REVOKED live ones, a revocation is
 * refused (the caller answers 503) rather than an older one dropped, which would let its token in.
 */

/** Live revocations at most, about 100 bytes each in every process (tokens live SESSION_TTL). */
export const MAX_REVOKED = 100_000;

type RevokedDoc = { _id: string; exp: Date };
type Entry = Revoked['d'][number];

export function createRevocations(o: {
  db: Db;
  /** To every relay (`relays`), or to the one relay that asked. */
  publish: (message: Revoked, relay?: string) => Promise<unknown>;
  log: Logger;
  /** Wall time in seconds: relays check expiry against theirs, whatever lila-core's clock. */
  nowSeconds?: () => number;
  max?: number;
}) {
  const store = o.db.collection<RevokedDoc>('revoked_sessions');
  const nowSeconds = o.nowSeconds ?? (() => Date.now() / 1000);
  const max = o.max ?? MAX_REVOKED;
  /** session id → its token's expiry, in seconds. */
  const revoked = new Map<string, number>();

  const sweep = () => {
    const now = nowSeconds();
    for (const [id, exp] of revoked) if (exp <= now) revoked.delete(id);
  };

  /** The whole list, in pages, the last one marked. */
  async function sendAll(relay?: string): Promise<void> {
    sweep();
    const entries: Entry[] = [...revoked].map(([id, exp]) => ({ id, exp }));
    for (let at = 0; at < entries.length || at === 0; at += REVOKED_PAGE) {
      const d = entries.slice(at, at + REVOKED_PAGE);
      await o.publish(
        at + REVOKED_PAGE >= entries.length ? { t: 'revoked', d, last: true } : { t: 'revoked', d },
        relay,
      );
    }
  }

  return {
    /** At start, before the API or `site-in`: every revocation still live. */
    async load(): Promise<number> {
      const docs = await store.find({ exp: { $gt: new Date(nowSeconds() * 1000) } }).toArray();
      for (const doc of docs) revoked.set(doc._id, Math.floor(doc.exp.getTime() / 1000));
      return revoked.size;
    },

    isRevoked: (id: string): boolean => revoked.has(id),

    /**
     * Revokes a session until `exp` (its token's expiry, in seconds): stored first, then told to
     * every relay. False when the bound is reached: nothing is revoked.
     */
    async revoke(id: string, exp: number): Promise<boolean> {
      if (revoked.has(id)) return true;
      if (revoked.size >= max) sweep();
      if (revoked.size >= max) return false;
      await store.updateOne({ _id: id }, { $set: { exp: new Date(exp * 1000) } }, { upsert: true });
      revoked.set(id, exp);
      // Lost with Redis: every relay asks for the whole list once its subscription is back.
      await o
        .publish({ t: 'revoked', d: [{ id, exp }] })
        .catch((err: Error) => o.log.warn({ err: err.message }, 'could not tell the relays of a revocation'));
      return true;
    },

    /** The whole list to one relay that asked, or to every relay (lila-core just started). */
    sendAll,

    /** Forgets revocations whose token has expired, here and in the database; every few minutes. */
    async sweep(): Promise<void> {
      sweep();
      await store.deleteMany({ exp: { $lte: new Date(nowSeconds() * 1000) } });
    },

    get size(): number {
      return revoked.size;
    },
  };
}
export type Revocations = ReturnType<typeof createRevocations>;
