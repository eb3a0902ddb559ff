import { isTournamentRoom, Room } from '../protocol/channels.js';
import { within } from '../src/deadline.js';
import type { Logger } from '../src/log.js';
import { countBy, createRegistry } from '../src/metrics.js';
import { connectRedis } from '../src/redis.js';
import type { Tap } from '../src/tap.js';
import { consumeSiteIn } from './bus.js';
import { createChallenges } from './challenges.js';
import { createCrowds } from './crowd.js';
import { waitForMongo } from './db.js';
import { createGames } from './game/games.js';
import { createGameRepo } from './game/repo.js';
import { checkHealth } from './health.js';
import { createHttpApp, listen } from './http/app.js';
import { createGameStarter } from './game/start.js';
import { createLobby } from './lobby/lobby.js';
import { obeyClockOrders } from './manual-clock.js';
import { coreMetrics, liveGauges, timedWrites } from './metrics.js';
import { createOnlineUsers } from './online-users.js';
import { createPending } from './pending.js';
import { createPublisher } from './publish.js';
import { createRelayLiveness } from './relay-liveness.js';
import { answerVersions } from './room-versions.js';
import { createRound } from './round.js';
import { startSiteCounts } from './site-counts.js';
import { createSocketReports } from './socket-report.js';
import { manualClock, systemClock } from './time.js';
import { createAccounts } from './users/accounts.js';
import { createPasswords, OWASP_SCRYPT } from './users/passwords.js';
import { createProfiles } from './users/profiles.js';
import { createRatings } from './users/ratings.js';
import { createRevocations } from './users/revocations.js';
import { openUsers } from './users/store.js';
import { createTournamentStore } from './tournament/store.js';
import { createTournaments } from './tournament/tournaments.js';

export type CoreConfig = {
  port: number;
  /** `manual`: time moves only on `core-clock` messages (fixtures). */
  clock: 'system' | 'manual';
  redisUrl: string;
  mongoUrl: string;
  secret: string;
  sessionTtlSeconds: number;
  /** scrypt's N for new password hashes (`SCRYPT_N`); r and p are OWASP's. */
  scryptN?: number;
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
  const { client: mongo, db } = await waitForMongo(config.mongoUrl, log);
  const publisher = connectRedis(config.redisUrl, 'core-pub', log);
  const subscriber = connectRedis(config.redisUrl, 'core-sub', log);
  const publish = createPublisher(publisher, config.tap);
  const registry = createRegistry('lila_core_');
  const metrics = coreMetrics(registry);

  const users = openUsers(db);
  const passwords = createPasswords({ ...OWASP_SCRYPT, N: config.scryptN ?? OWASP_SCRYPT.N });
  const accounts = createAccounts(users, passwords, log);
  const revocations = createRevocations({ db, publish: (m, relay) => publish.revoked(m, relay), log });
  await revocations.load();
  const ratings = createRatings(users, log);
  const repo = createGameRepo(db);
  await repo.init();
  const games = createGames(timedWrites(repo, metrics.mongoWrite), publish, clock, {
    ratings: ratings.ratings,
    // Ratings first; then a tournament game's result reaches its arena (both log their own failures).
    onEnd: async (game) => {
      await ratings.recordEnd(game);
      await tournaments.gameEnded(game);
    },
  });
  const restored = await games.restore();

  // What each relay holds goes with it when it dies or restarts.
  const liveness = createRelayLiveness();
  // A sync lost with Redis is asked again at the relay's next tick: the relay stays unsynced until it answers.
  const online = createOnlineUsers(liveness, (relay) => void publish.sync(relay).catch(() => undefined));
  const crowds = createCrowds({ games, publish, clock, liveness, log });
  const sweeper = setInterval(() => liveness.sweep(), 2_000);

  // Every game starts here, and its players leave the lobby (`lobby` is there by the time one starts);
  // its redirect is remembered for players who miss it (`pending` is there by then too).
  const starter = createGameStarter(games, publish, (ids) => lobby.started(ids));
  const startGame: typeof starter = async (toStart) => {
    const game = await starter(toStart);
    pending.started(game);
    return game;
  };
  const round = createRound(games, startGame, crowds, publish, now, log, () => metrics.moves.inc());
  const lobby = createLobby({
    startGame,
    publish,
    clock,
    ratingOf: ratings.ratingOf,
    nameOf: accounts.nameOf,
    siteCounts: () => ({ users: online.count, games: games.liveCount }),
    onError: (err) => log.error({ err: err.message }, 'lobby'),
  });
  liveness.onEnded((relay, boot) => lobby.forgetRelay(relay, boot));
  const challenges = createChallenges(startGame, publish, now);
  const tournaments = createTournaments({
    store: createTournamentStore(db),
    publish,
    clock,
    games,
    startGame,
    ratingOf: ratings.ratingOf,
    log,
  });
  liveness.onEnded((relay, boot) => tournaments.relayEnded(relay, boot));
  const arenas = await tournaments.start();
  const pending = createPending({ challenges, games, crowds, publish });
  // Bounded maps swept whether or not anyone touches them again.
  const housekeeping = setInterval(() => {
    challenges.sweep();
    revocations.sweep().catch((err: Error) => log.warn({ err: err.message }, 'could not sweep revoked sessions'));
  }, 60_000);
  liveGauges(registry, {
    games: () => games.liveCount,
    users: () => online.count,
    challenges: () => challenges.size,
    revoked: () => revocations.size,
    inDoubt: () => games.inDoubt,
    queued: () => games.queued,
  });
  const stopCounts = startSiteCounts({ publish, clock, users: () => online.count, games: () => games.liveCount, log });

  const socketReports = createSocketReports({ games, crowds, lobby });
  const countAction = countBy(metrics.actions, 'type');
  const bus = await consumeSiteIn({
    subscriber,
    publish,
    liveness,
    handle: (m, at) => {
      countAction(m.t);
      tournaments.observe(m);
      if (isTournamentRoom(m.room)) return tournaments.handle(m);
      return m.room === Room.lobby ? lobby.handle({ ...m, room: Room.lobby }) : round(m, at);
    },
    // Relays stamp wall time; the manual clock's time is its own.
    stamps: manual ? 'ignored' : 'trusted',
    onTick: (relay) => online.ticked(relay),
    onOnline: (m) => online.reported(m.relay, m.d),
    onSockets: (m) => {
      tournaments.reported(m);
      return socketReports(m);
    },
    onPending: (m) => pending.answer(m),
    onRevocationsAsk: (relay) =>
      void revocations
        .sendAll(relay)
        // The relay asks again a few seconds later while it has not had the whole list.
        .catch((err: Error) => log.warn({ err: err.message, relay }, 'could not send the revoked sessions')),
    onVersions: answerVersions({
      publish,
      lobbyVersion: () => lobby.version,
      gameVersion: (id) => games.version(id),
      tournamentVersion: (id) => tournaments.version(id),
    }),
    now,
    log,
    tap: config.tap,
  });
  if (manual) await obeyClockOrders(subscriber, publisher, manual, log);
  // Relays started while lila-core was away have no list of revoked sessions yet: here it is.
  void revocations
    .sendAll()
    .catch((err: Error) => log.warn({ err: err.message }, 'could not send the revoked sessions'));
  // Relays holding moves for a lila-core that went away send them now, and check their rooms.
  void lobby
    .restarted()
    .then(() => publish.coreState('coreUp'))
    .catch((err: Error) => log.error({ err: err.message }, 'could not tell the relays that lila-core is up'));

  let stopping = false;
  const app = createHttpApp({
    accounts,
    challenges,
    games,
    profiles: createProfiles(users),
    revocations,
    secret: config.secret,
    sessionTtlSeconds: config.sessionTtlSeconds,
    now,
    health: checkHealth({ redis: [publisher, subscriber], db, now, startedAt, stopping: () => stopping }),
    log,
    tap: config.tap,
    metrics: registry,
    status: { isOnline: (id) => online.isOnline(id), isPlaying: (id) => games.isPlaying(id) },
    announce: { publish, admins: config.admins },
    tournaments,
  });
  const server = await listen(app, config.port);
  log.info({ port: config.port, restored, arenas }, 'lila-core listening');

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
      tournaments.stop();
      log.info('site-in drained; every action taken is saved');
      clearInterval(sweeper);
      clearInterval(housekeeping);
      stopCounts();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await within(2_000, subscriber.quit());
      await within(2_000, publisher.quit());
      await mongo.close();
      await config.tap?.close();
    },
  };
}
