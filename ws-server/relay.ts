import { randomBytes } from 'node:crypto';
import { relayChannel } from '../protocol/channels.js';
import { createRegistry } from '../src/metrics.js';
import type { Logger } from '../src/log.js';
import { within } from '../src/deadline.js';
import { connectRedis, redisState } from '../src/redis.js';
import type { Tap } from '../src/tap.js';
import { listenToBus, probeRedis } from './bus.js';
import { createCoreLink } from './core-link.js';
import { closeSockets } from './drain.js';
import { createFanOut } from './fan-out.js';
import { listenOnceRedisIsUp } from './listen.js';
import { serveHttp } from './http-routes.js';
import { relayMetrics } from './metrics.js';
import { createOnlineHere } from './online-here.js';
import type { AllowedOrigins } from './origins.js';
import { scaledLimits } from './rate-limit.js';
import { createRepair } from './repair.js';
import { createRevocations } from './revocations.js';
import { createRooms } from './rooms.js';
import type { Socket, SocketData } from './socket-data.js';
import { rejoin, socketEvents } from './socket-events.js';
import { createUpgrade } from './upgrade.js';
import { loadNativeUws } from './uws.js';

export type RelayConfig = {
  port: number;
  relayId: string;
  redisUrl: string;
  secret: string;
  /** Pages whose sockets may be signed in by the session cookie (ALLOWED_ORIGINS). */
  allowedOrigins: AllowedOrigins;
  /** Every socket rate limit times this (RATE_LIMIT_FACTOR): 1 in production. */
  rateLimitFactor: number;
  joinTimeoutMs: number;
  /** On SIGTERM, sockets are closed over this long, so that they do not all reconnect at once. */
  drainSpreadMs: number;
  /** ...and the relay exits at this deadline, whatever is left. */
  drainDeadlineMs: number;
  /** The message recorder (`TAP`), closed with the relay. */
  tap?: Tap;
};

/** Users whose last socket closed are reported gone in batches this far apart (lila-ws: 5 s). */
const ONLINE_BATCH_MS = 5_000;
/** At start, how long the relay waits for lila-core's list of revoked sessions before it listens. */
const REVOCATIONS_WAIT_MS = 2_000;

/** A relay: its parts wired together, listening once Redis is there (or a little later without it). */
export async function startRelay(config: RelayConfig, log: Logger) {
  const uws = loadNativeUws();
  const app = uws.App();
  const { relayId, tap } = config;
  const boot = randomBytes(6).toString('base64url');
  const publisher = connectRedis(config.redisUrl, 'relay-pub', log, relayId);
  const subscriber = connectRedis(config.redisUrl, 'relay-sub', log, relayId);
  const ownChannel = relayChannel(relayId);
  const rooms = createRooms(subscriber);
  let draining = false;
  const connected = () => redisState(publisher) === 'connected' && redisState(subscriber) === 'connected';
  /** Ready for new sockets: nginx sends them elsewhere while this is false (upgrades get 503). */
  const ready = () => connected() && !draining;
  const sockets = new Map<string, Socket>();
  const open = (sid: string) => sockets.has(sid);
  const core = createCoreLink({ relayId, boot, publisher, log, joinTimeoutMs: config.joinTimeoutMs, connected, open });
  const revocations = createRevocations({ relayId, boot, publisher, subscriber, ownChannel, sockets, log });
  const users = createOnlineHere((d) => core.online(d));
  const registry = createRegistry('lila_relay_');
  const metrics = relayMetrics(registry, { rooms: () => rooms.size, moves: () => core.held });
  const startedAt = Date.now();
  const { send, publish, toRoom } = createFanOut({ app, rooms, metrics, tap });
  const repair = createRepair({
    rooms,
    deliver: toRoom,
    ask: (versions) => core.askVersions(versions),
    rejoin: (room) => rejoin(sockets, room),
    log,
    counted: (outcome) => metrics.repairs.inc({ outcome }),
  });

  listenToBus({
    subscriber,
    ownChannel,
    rooms,
    repair,
    core,
    sockets,
    send,
    users,
    metrics,
    log,
    revoked: (message) => revocations.heard(message),
  });
  serveHttp(app, { registry, connected, ready, startedAt, connections: () => sockets.size });
  app.ws<SocketData>('/*', {
    ...socketEvents({
      relayId,
      sockets,
      rooms,
      core,
      users,
      send,
      metrics,
      limits: scaledLimits(config.rateLimitFactor),
      log,
      tap,
    }),
    upgrade: createUpgrade({
      secret: config.secret,
      revoked: revocations,
      allowedOrigins: config.allowedOrigins,
      ready,
      draining: () => draining,
      rooms,
      caughtUp: (room, v) => repair.caughtUp(room, v),
      core,
      sockets,
      send,
      metrics,
      log,
    }),
  });

  // Sockets with a token wait for the revoked sessions (refused 503 until then); lila-core may be away.
  await revocations.whenKnown(REVOCATIONS_WAIT_MS);
  const listenSocket = await listenOnceRedisIsUp(app, config.port, [publisher, subscriber], log);
  const ticker = setInterval(() => core.tick(), 1000);
  const prober = probeRedis(publisher, ownChannel);
  const leavers = setInterval(() => users.flush(), ONLINE_BATCH_MS);
  log.info({ port: config.port }, 'relay listening');

  /**
   * A deploy: no new sockets (nginx moves on to the other relays), every socket told and closed
   * gradually (drain.ts). Moves still held for lila-core go out before the Redis connections
   * close, at the deadline at the latest.
   */
  async function drain(): Promise<void> {
    draining = true;
    const deadline = Date.now() + config.drainDeadlineMs;
    uws.us_listen_socket_close(listenSocket);
    await closeSockets({ sockets, publish, spreadMs: config.drainSpreadMs, deadline, log });
    users.flush();
    await core.drained(deadline);
  }

  return {
    async close(): Promise<void> {
      await drain();
      clearInterval(ticker);
      clearInterval(prober);
      clearInterval(leavers);
      core.close();
      revocations.close();
      repair.close();
      await Promise.all([within(2_000, publisher.quit()), within(2_000, subscriber.quit())]);
      await tap?.close();
      log.info('relay stopped');
    },
  };
}
