import type { Server } from 'node:http';
import type { Logger } from '../src/log.js';
import { connectRedis, redisState } from '../src/redis.js';
import { createAccounts } from './accounts.js';
import { consumeSiteIn } from './bus.js';
import { createChallenges } from './challenges.js';
import { connectMongo, mongoAlive } from './db.js';
import { createGames } from './game/games.js';
import { createGameRepo } from './game/repo.js';
import { createHttpApp } from './http/app.js';
import { createPublisher } from './publish.js';
import { createRound } from './round.js';

export type CoreConfig = {
  port: number;
  redisUrl: string;
  mongoUrl: string;
  secret: string;
  sessionTtlSeconds: number;
};

/** Boots lila-core: MongoDB, the unfinished games, `site-in`, then the HTTP API. */
export async function startCore(config: CoreConfig, log: Logger, now: () => number = Date.now) {
  const startedAt = now();
  const { client: mongo, db } = await connectMongo(config.mongoUrl);
  const publisher = connectRedis(config.redisUrl, 'core-pub', log);
  const subscriber = connectRedis(config.redisUrl, 'core-sub', log);
  const publish = createPublisher(publisher);

  const repo = createGameRepo(db);
  await repo.init();
  const games = createGames(repo, publish, now);
  const restored = await games.restore();
  const accounts = createAccounts(db);
  const challenges = createChallenges(games, publish, now);
  const round = createRound(games, publish, now, log);
  await consumeSiteIn({ subscriber, publish, handle: round, now, log });

  const health = async () => {
    const redis = redisState(publisher) === 'connected' && redisState(subscriber) === 'connected';
    const mongoUp = await mongoAlive(db);
    return {
      ok: redis && mongoUp,
      body: {
        redis: redis ? 'connected' : 'disconnected',
        mongo: mongoUp ? 'connected' : 'disconnected',
        uptime: Math.round((now() - startedAt) / 1000),
      },
    };
  };
  const app = createHttpApp({
    accounts,
    challenges,
    games,
    secret: config.secret,
    sessionTtlSeconds: config.sessionTtlSeconds,
    now,
    health,
    log,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  log.info({ port: config.port, restored }, 'lila-core listening');

  return {
    async close(): Promise<void> {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await subscriber.quit().catch(() => undefined);
      await publisher.quit().catch(() => undefined);
      await mongo.close();
    },
  };
}
