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
