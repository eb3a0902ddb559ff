import { Redis } from 'ioredis';
import type { Logger } from './log.js';

export type RedisState = 'connected' | 'disconnected';

/**
 * A Redis connection that reconnects forever, and resubscribes its channels when it does
 * (ioredis's autoResubscribe). `role` names it in logs, and in CLIENT LIST with `owner` (the relay).
 */
export function connectRedis(url: string, role: string, log: Logger, owner?: string): Redis {
  const redis = new Redis(url, {
    connectionName: owner ? `${role}:${owner}` : role,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  redis.on('ready', () => {
    if (down) log.info({ role }, 'redis reconnected');
    down = false;
  });
  redis.on('error', (err) => {
    if (!down) log.warn({ role, err: err.message }, 'redis error');
    down = true;
  });
  redis.on('close', () => {
    if (!down) log.warn({ role }, 'redis connection closed');
    down = true;
  });
  return redis;
}

export const redisState = (redis: Redis): RedisState => (redis.status === 'ready' ? 'connected' : 'disconnected');

/**
 * Writes to `redis` made within one turn of the event loop go out together: call the result
 * before each command on a hot path. The connection's socket is corked at the first and uncorked
 * once the turn's I/O callbacks have run (setImmediate), so that the publishes of every move a
 * turn handled cost one write to Redis, not one each (a write on loopback runs Redis's side of
 * TCP too, and wakes it once per write). Order is kept (one stream); nothing waits past the turn.
 */
export function writeTogether(redis: Redis): () => void {
  let corked = false;
  return () => {
    if (corked || redis.status !== 'ready') return;
    const stream = redis.stream;
    stream.cork();
    corked = true;
    setImmediate(() => {
      corked = false;
      stream.uncork();
    });
  };
}
