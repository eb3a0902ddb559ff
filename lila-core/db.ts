import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, type Db } from 'mongodb';
import type { Logger } from '../src/log.js';

/** Waits between attempts to reach MongoDB at start: 0.5 s doubling, 5 s at most. */
const firstWaitMs = 500;
const longestWaitMs = 5_000;

/**
 * How long lila-core waits on one write, and on the read that learns what became of a failed one,
 * before it takes the write's outcome as unknown. A game's actions wait behind its save, and a
 * relay sends a move again after 3 s unanswered: 5 s lets a healthy database under a burst answer
 * (FerretDB's batches take tens of ms, MongoDB's a few) and holds a game at most that long when the
 * database hangs.
 */
export const WRITE_TIMEOUT_MS = 5_000;

/** A database call that did not answer within its time: its outcome is unknown. */
export class TimedOut extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
  }
}

/**
 * `work`, or TimedOut after `ms`. The driver of MongoDB 7 has no client-side timeout for writes
 * (its `timeoutMS` is a no-op) and `maxTimeMS` only bounds the server's own work, not a server
 * that is stopped, unreachable or slow to read its socket: so the wait is bounded here, and
 * `maxTimeMS` is sent as well so that a live server gives the write up too. What the abandoned
 * call does later is what games.ts settles (a write that lands late is fenced off).
 */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(what, ms)), ms);
  });
  // The abandoned call's own failure, after the timeout, is no longer anyone's to handle.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * MongoDB through the official driver only, so that it runs unchanged on MongoDB 6+
 * (and on FerretDB locally). Writes wait for the journal of a majority, that long at most: a
 * write concern not met is an error, and its write's outcome unknown (games.ts settles it).
 */
export async function connectMongo(url: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 3000,
    writeConcern: { w: 'majority', journal: true, wtimeoutMS: WRITE_TIMEOUT_MS },
    appName: 'lila-core',
  });
  try {
    await client.connect();
  } catch (err) {
    // A client that never connected holds only its monitors: closed so that none keeps trying.
    await client.close().catch(() => undefined);
    throw err;
  }
  return { client, db: client.db() };
}

/**
 * connectMongo, tried again until MongoDB answers: at start lila-core waits for its database
 * rather than exit (a supervisor would count that as a failed start and back off). One line per
 * failed attempt; SIGTERM meanwhile is main.ts's to handle.
 */
export async function waitForMongo(url: string, log: Logger): Promise<{ client: MongoClient; db: Db }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectMongo(url);
    } catch (err) {
      const retryInMs = Math.min(firstWaitMs * 2 ** (attempt - 1), longestWaitMs);
      log.warn({ attempt, err: (err as Error).message, retryInMs }, 'waiting for MongoDB');
      await sleep(retryInMs);
    }
  }
}

/** Resolves to whether MongoDB answers a ping within `timeoutMs`. */
export async function mongoAlive(db: Db, timeoutMs = 1000): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  // A failed ping is the answer itself: not alive.
  const ping = db.command({ ping: 1 }).then(
    () => true,
    () => false,
  );
  return Promise.race([ping, timeout]);
}
