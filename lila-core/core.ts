import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CORE_CLOCK, Room } from '../protocol/channels.js';
import { isAnonymous } from '../protocol/game.js';
import type { Logger } from '../src/log.js';
import { manualClock, systemClock, type ManualClock } from './time.js';
import { within } from '../src/deadline.js';
import { connectRedis, redisState } from '../src/redis.js';
import type { Tap } from '../src/tap.js';
import { createAccounts } from './accounts.js';
import { consumeSiteIn } from './bus.js';
import { createChallenges } from './challenges.js';
import { connectMongo, mongoAlive } from './db.js';
import { createGames } from './game/games.js';
import { createGameRepo } from './game/repo.js';
import { createHttpApp } from './http/app.js';
import { createPublisher } from './publish.js';
import { ratedSpeedOf } from './game/clock.js';
import { DEFAULT_GLICKO } from './game/glicko.js';
import { createGameStarter } from './game/start.js';
import { createLobby } from './lobby/lobby.js';
import { createOnline } from './online.js';
import { createPresence } from './presence.js';
import { startSiteCounts } from './site.js';
import { createRound } from './round.js';
import { coreMetrics } from './metrics.js';
import { createRegistry } from '../src/metrics.js';
import { createUsers } from './users.js';

export type CoreConfig = {
  port: number;
  /** `manual`: time moves only on `core-clock` messages (fixtures). */
  clock: 'system' | 'manual';
  redisUrl: string;
  mongoUrl: string;
  secret: string;
  sessionTtlSeconds: number;
  /** User ids allowed to make announcements. */
  admins: ReadonlySet<string>;
  /** The message recorder (`TAP`), closed with lila-core. */
  tap?: Tap;
};

/** Boots lila-core: MongoDB, the unfinished games, `site-in`, then the HTTP API. */
export async function startCore(config: CoreConfig, log: Logger) {
  const manual = config.clock === 'manual' ? manualClock(Date.now()) : undefined;
  const clock = manual ?? systemClock;
  const now = () => clock.now();
  const startedAt = now();
  const { client: mongo, db } = await connectMongo(config.mongoUrl);
  const publisher = connectRedis(config.redisUrl, 'core-pub', log);
  const subscriber = connectRedis(config.redisUrl, 'core-sub', log);
  const publish = createPublisher(publisher, config.tap);

  const repo = createGameRepo(db);
  await repo.init();
  const users = createUsers(db, log);
  const registry = createRegistry('lila_core_');
  let onlineCount = () => 0;
  const metrics = coreMetrics(registry, { games: () => games.liveCount, users: () => onlineCount() });
  // Every game write is timed: MongoDB's latency is what a move waits for before its ack.
  const timedRepo: typeof repo = {
    ...repo,
    async update(...args) {
      const done = metrics.mongoWrite.startTimer();
      try {
        return await repo.update(...args);
      } finally {
        done();
      }
    },
  };
  const games = createGames(timedRepo, publish, clock, { ratings: users.ratings, onEnd: users.recordEnd });
  const restored = await games.restore();
  const accounts = createAccounts(db);
  const presence = createPresence(games, publish, clock);
  const online = createOnline(
    (relay) => void publish.sync(relay).catch(() => undefined),
    Date.now,
    (relay, boot) => lobby.forgetRelay(relay, boot),
  );
  const sweeper = setInterval(() => (presence.sweep(), online.sweep()), 2_000);
  onlineCount = () => online.count;
  // Every game starts here, and its players leave the lobby (`lobby` is there by the time one starts).
  const startGame = createGameStarter(games, publish, (ids) => lobby.started(ids));
  const round = createRound(games, startGame, presence, publish, now, log, () => metrics.moves.inc());
  const lobby = createLobby({
    startGame,
    publish,
    clock,
    ratingOf: async (id, clockConfig) => {
      if (isAnonymous(id)) return DEFAULT_GLICKO.rating;
      const user = await users.find(id);
      return user?.ratings[ratedSpeedOf(clockConfig)].rating ?? DEFAULT_GLICKO.rating;
    },
    onError: (err) => log.error({ err: err.message }, 'lobby'),
    nameOf: async (id) => (isAnonymous(id) ? 'Anonymous' : ((await accounts.find(id))?.name ?? id)),
  });
  const challenges = createChallenges(startGame, publish, now);
  const stopCounts = startSiteCounts({ publish, clock, users: () => online.count, games: () => games.liveCount });
  /** Each room's latest version, for a relay that may have missed events. */
  const versionsOf = async (rooms: string[]): Promise<Record<string, number>> => {
    const found: Record<string, number> = {};
    await Promise.all(
      rooms.map(async (room) => {
        const v =
          room === Room.lobby
            ? lobby.version
            : room.startsWith('game:')
              ? await games.version(room.slice(5))
              : undefined;
        if (v !== undefined) found[room] = v;
      }),
    );
    return found;
  };
  const bus = await consumeSiteIn({
    subscriber,
    publish,
    handle: (m) => {
      metrics.actions.inc({ type: m.t });
      return m.room === Room.lobby ? lobby.handle({ ...m, room: Room.lobby }) : round(m);
    },
    onTick: (relay, boot) => (presence.ticked(relay, boot), online.ticked(relay, boot)),
    onOnline: (m) => online.reported(m.relay, m.boot, m.d),
    // What the relay missed goes first, then the versions: a room still behind after them is lost to it.
    onVersions: async (m) => {
      const latest = await versionsOf(Object.keys(m.d.rooms));
      for (const [room, v] of Object.entries(latest))
        if (v > m.d.rooms[room]!) publish.replay(m.relay, room, m.d.rooms[room]!, v);
      return publish.versions(m.relay, latest);
    },
    now,
    log,
    tap: config.tap,
  });
  if (manual) await obeyClockChannel(subscriber, publisher, manual, log);
  // Relays holding moves for a lila-core that went away send them now, and check their rooms.
  void lobby
    .restarted()
    .then(() => publish.coreState('coreUp'))
    .catch(() => undefined);
  let stopping = false;

  const health = async () => {
    const redis = redisState(publisher) === 'connected' && redisState(subscriber) === 'connected';
    const mongoUp = await mongoAlive(db);
    return {
      ok: redis && mongoUp && !stopping,
      body: {
        ...(stopping ? { stopping: true } : {}),
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
    users,
    secret: config.secret,
    sessionTtlSeconds: config.sessionTtlSeconds,
    now,
    health,
    log,
    tap: config.tap,
    metrics: registry,
    site: {
      publish,
      admins: config.admins,
      isOnline: (id) => online.isOnline(id),
      isPlaying: (id) => games.isPlaying(id),
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  log.info({ port: config.port, restored }, 'lila-core listening');

  return {
    /**
     * A deploy: relays are told first and hold moves from then on; lila-core stops consuming,
     * finishes every action it has (each saved before it is acknowledged), then lets go.
     */
    async close(): Promise<void> {
      stopping = true;
      // Redis may be the thing that is down: each step waits for it a few seconds at most.
      await within(2_000, publish.coreState('coreDown'));
      await bus.stop();
      log.info('site-in drained; every action taken is saved');
      clearInterval(sweeper);
      stopCounts();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await within(2_000, subscriber.quit());
      await within(2_000, publisher.quit());
      await mongo.close();
      await config.tap?.close();
    },
  };
}

/** With a manual clock: moves time forward when a fixture says so, and answers when done. */
async function obeyClockChannel(subscriber: Redis, publisher: Redis, clock: ManualClock, log: Logger) {
  let advancing: Promise<unknown> = Promise.resolve();
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== CORE_CLOCK) return;
    const order = ClockOrder.safeParse(JSON.parse(message));
    if (!order.success) return log.warn({ message }, 'bad clock order');
    const { advance, reply } = order.data;
    // Orders run one after another, each with every timer it makes due.
    advancing = advancing
      .then(() => clock.advance(advance))
      .then((now) => publisher.publish(reply, JSON.stringify({ now })))
      .catch((err: Error) => log.error({ err: err.message }, 'clock order failed'));
  });
  await subscriber.subscribe(CORE_CLOCK);
  log.warn('manual clock: time moves only on core-clock orders');
}

const ClockOrder = z.object({ advance: z.number().nonnegative(), reply: z.string() });
