import type { Redis } from 'ioredis';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { within } from '../src/deadline.js';
import type { Logger } from '../src/log.js';

/** How long a starting relay waits for its Redis before it listens anyway. */
const REDIS_WAIT_MS = 5_000;

const redisReady = (redis: Redis): Promise<unknown> =>
  redis.status === 'ready' ? Promise.resolve() : new Promise((resolve) => redis.once('ready', resolve));

/**
 * Sockets are refused until Redis is there: wait for it a little, so that a relay started with its
 * Redis opens ready; past that it listens anyway and becomes ready when Redis comes. Resolves to
 * the listening socket (closed to drain), rejects when the port is taken.
 */
export async function listenOnceRedisIsUp(
  app: TemplatedApp,
  port: number,
  redis: readonly Redis[],
  log: Logger,
): Promise<us_listen_socket> {
  if (!(await within(REDIS_WAIT_MS, Promise.all(redis.map(redisReady)))))
    log.warn('Redis is not reachable; listening anyway, not ready until it is');
  return new Promise((resolve, reject) =>
    app.listen('127.0.0.1', port, (s) => (s ? resolve(s) : reject(new Error(`cannot listen on port ${port}`)))),
  );
}
