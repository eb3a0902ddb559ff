import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { redisState } from '../src/redis.js';
import { mongoAlive } from './db.js';

export type Health = { ok: boolean; body: Record<string, unknown> };

/** Readiness: both Redis connections up, MongoDB answering, and not stopping. */
export function checkHealth(o: {
  redis: Redis[];
  db: Db;
  now: () => number;
  startedAt: number;
  stopping: () => boolean;
}): () => Promise<Health> {
  return async () => {
    const redis = o.redis.every((r) => redisState(r) === 'connected');
    const mongoUp = await mongoAlive(o.db);
    const stopping = o.stopping();
    return {
      ok: redis && mongoUp && !stopping,
      body: {
        ...(stopping ? { stopping: true } : {}),
        redis: redis ? 'connected' : 'disconnected',
        mongo: mongoUp ? 'connected' : 'disconnected',
        uptime: Math.round((o.now() - o.startedAt) / 1000),
      },
    };
  };
}
