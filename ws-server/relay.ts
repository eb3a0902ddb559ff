import { randomBytes } from 'node:crypto';
import type { HttpResponse, TemplatedApp, WebSocket } from 'uWebSockets.js';
import { RELAYS, relayChannel, Room, type RoomName } from '../protocol/channels.js';
import { CloseCode, HARD_FRAME_LIMIT_BYTES, MAX_FRAME_BYTES, type Endpoint } from '../protocol/client-in.js';
import { errorFrame } from '../protocol/client-out.js';
import type { Audience } from '../protocol/core-out.js';
import { decodeCoreOut, encodeCoreOut } from '../protocol/wire.js';
import { Gauge } from 'prom-client';
import { createRegistry } from '../src/metrics.js';
import { relayMetrics } from './metrics.js';
import type { Logger } from '../src/log.js';
import { within } from '../src/deadline.js';
import { connectRedis, redisState } from '../src/redis.js';
import type { Tap } from '../src/tap.js';
import { verifyToken } from '../src/token.js';
import { isGameRoom, roleTopic, ROLES, sees, skipFrame, type Role } from './audience.js';
import { catchUp } from './catch-up.js';
import { createCoreLink } from './core-link.js';
import { closeGradually } from './drain.js';
import { createUserPresence } from './presence.js';
import { readFrame } from './frames.js';
import { createRepair } from './repair.js';
import { createRooms } from './rooms.js';
import { route, tokenFrom, versionFrom, type Route } from './routes.js';
import { loadNativeUws } from './uws.js';

export type RelayConfig = {
  port: number;
  relayId: string;
  redisUrl: string;
  secret: string;
  joinTimeoutMs: number;
  /** On SIGTERM, sockets are closed over this long, so that they do not all reconnect at once. */
  drainSpreadMs: number;
  /** ...and the relay exits at this deadline, whatever is left. */
  drainDeadlineMs: number;
  /** The message recorder (`TAP`), closed with the relay. */
  tap?: Tap;
};

type SocketData = {
  sid: string;
  user: string | null;
  /** The URL path, without the query (which may hold a token). */
  path: string;
  route: Route;
  /** Rooms whose subscription this socket holds (`site` is held by the relay itself). */
  rooms: RoomName[];
  /** uWS topics: its rooms, a game room as the topic of the socket's role. */
  topics: string[];
  /** /play, /watch and /lobby: what the socket catches up with when it opens, then undefined. */
  game?: { role: Role; state: Buffer; stateV?: number; asked?: number };
  closed: boolean;
};

const PONG = '0';
const SERVER_RESTART = '{"t":"serverRestart"}';
const PROBE_EVERY_MS = 2_000;

const socketLabels = (data: SocketData) => ({ endpoint: data.route.endpoint, auth: data.user ? 'user' : 'anonymous' });
/** Users whose last socket closed are reported gone in batches this far apart (lila-ws: 5 s). */
const ONLINE_BATCH_MS = 5_000;

/** Endpoints whose sockets lila-core admits (a game's state, the lobby's seeks) and counts. */
const joinsThroughCore = (endpoint: Endpoint): endpoint is 'play' | 'watch' | 'lobby' =>
  endpoint === 'play' || endpoint === 'watch' || endpoint === 'lobby';

export async function startRelay(config: RelayConfig, log: Logger) {
  const uws = loadNativeUws();
  const boot = randomBytes(6).toString('base64url');
  const publisher = connectRedis(config.redisUrl, 'relay-pub', log, config.relayId);
  const subscriber = connectRedis(config.redisUrl, 'relay-sub', log, config.relayId);
  const rooms = createRooms(subscriber);
  let draining = false;
  const connected = () => redisState(publisher) === 'connected' && redisState(subscriber) === 'connected';
  /** Ready for new sockets: nginx sends them elsewhere while this is false (upgrades get 503). */
  const ready = () => connected() && !draining;
  const core = createCoreLink({
    relayId: config.relayId,
    boot,
    publisher,
    log,
    joinTimeoutMs: config.joinTimeoutMs,
    connected,
  });
  const sockets = new Map<string, WebSocket<SocketData>>();
  const users = createUserPresence((d) => core.online(d));
  const registry = createRegistry('lila_relay_');
  const metrics = relayMetrics(registry);
  new Gauge({
    name: 'lila_relay_rooms_held',
    help: 'Rooms this relay is subscribed to in Redis.',
    registers: [registry],
    collect() {
      this.set(rooms.size);
    },
  });
  new Gauge({
    name: 'lila_relay_moves_held',
    help: 'Moves held for lila-core while it is away (or Redis is), in order, delivered when it is back.',
    registers: [registry],
    collect() {
      this.set(core.held);
    },
  });
  const startedAt = Date.now();
  const ownChannel = relayChannel(config.relayId);
  const app: TemplatedApp = uws.App();
  const tap = config.tap;

  /** Everything sent to one socket goes through here, so that the tap sees it. */
  const send = (ws: WebSocket<SocketData>, frame: string | Buffer): void => {
    ws.send(frame, false);
    metrics.framesOut.inc({ to: 'socket' });
    tap?.({ dir: 'out', sid: ws.getUserData().sid, raw: frame.toString() });
  };

  const publish = (topic: string, frame: string | Buffer): void => {
    app.publish(topic, frame, false);
    metrics.framesOut.inc({ to: 'topic' });
    tap?.({ dir: 'topic', topic, raw: frame.toString() });
  };

  /**
   * One parse, at most one publish per role: uWS copies the same bytes to every socket of the topic.
   * A game event goes in full to the roles of its audience, untouched, and to the other roles as its
   * version alone; it is kept in the room's history first, for sockets that open or come back.
   */
  const toRoom = (room: string, header: { v?: number; to?: Audience }, frame: Buffer): void => {
    const { v, to } = header;
    // Kept past this callback: copied, as a view would hold the whole read chunk of the socket.
    if (v !== undefined) rooms.history(room)?.add({ v, to, frame: Buffer.from(frame) });
    if (!isGameRoom(room)) return publish(room, frame);
    // The crowd: a socket opening after it was published would otherwise wait for the next one.
    if (v === undefined) rooms.keepLatest(room, frame);
    let skip: string | undefined;
    for (const role of ROLES) {
      const topic = roleTopic(room, role);
      // Often nobody of a role is on this relay (no spectator, one player): no publish for them.
      if (!app.numSubscribers(topic)) continue;
      publish(topic, v === undefined || sees(role, to) ? frame : (skip ??= skipFrame(v)));
    }
  };

  const repair = createRepair({
    rooms,
    deliver: toRoom,
    ask: (versions) => core.askVersions(versions),
    rejoin(room) {
      for (const ws of sockets.values())
        if (ws.getUserData().route.room === room && !ws.getUserData().closed)
          ws.end(CloseCode.restart, 'missed events; reconnect with ?v=');
    },
    log,
    counted: (outcome) => metrics.repairs.inc({ outcome }),
  });

  // Not awaited: a relay starts without Redis, reports itself not ready, and subscribes once it can.
  void subscriber.subscribe(ownChannel, RELAYS);
  // Back after Redis dropped us: ioredis subscribes every room again; then ask what was missed.
  let subscriberWasDown = false;
  subscriber.on('close', () => (subscriberWasDown = true));
  subscriber.on('ready', () => {
    if (!subscriberWasDown) return;
    subscriberWasDown = false;
    setImmediate(() => repair.checkAll());
  });
  void rooms.enter(Room.site);

  subscriber.on('messageBuffer', (channelBuf: Buffer, message: Buffer) => {
    const channel = channelBuf.toString();
    const decoded = decodeCoreOut(message);
    if (!decoded.ok) return log.warn({ channel, err: decoded.error }, 'unreadable message from redis');
    const { header, frame } = decoded;
    switch (header.t) {
      case 'room':
        return repair.event(channel, header, frame);
      case 'replay':
        return repair.event(header.room, header, frame);
      case 'sid': {
        // An answer to a move the relay sent again (lila-core was slow) repeats one already given.
        if (header.a !== undefined && !core.answered(header.sid, header.a)) return;
        const ws = sockets.get(header.sid);
        return void (ws && !ws.getUserData().closed && send(ws, frame));
      }
      case 'join': {
        const { status, color, v } = header;
        return core.answerJoin(header.sid, { status, frame: Buffer.from(frame), color, v });
      }
      case 'resend':
        return core.resend(header.boot, header.from);
      case 'sync':
        return users.all();
      case 'probe':
        return metrics.redisLag.observe((Date.now() - header.at) / 1000);
      case 'coreDown':
        log.warn('lila-core is going down; holding moves');
        return core.pause();
      case 'coreUp':
        core.resume();
        return repair.checkAll();
      case 'versions':
        return repair.versions(header.d);
    }
  });

  app.get('/metrics', (res) => {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    void registry.metrics().then((text) => {
      if (aborted) return;
      res.cork(() => res.writeHeader('content-type', registry.contentType).end(text));
    });
  });

  app.get('/health/live', (res) => {
    res.cork(() => res.writeHeader('content-type', 'application/json').end('{"live":true}'));
  });

  // Readiness, also at /health: Redis connected. (A draining relay no longer listens at all.)
  const readiness = (res: HttpResponse) => {
    const body = JSON.stringify({
      redis: connected() ? 'connected' : 'disconnected',
      uptime: Math.round((Date.now() - startedAt) / 1000),
      connections: sockets.size,
    });
    res.cork(() => {
      res.writeStatus(ready() ? '200 OK' : '503 Service Unavailable').writeHeader('content-type', 'application/json');
      res.end(body);
    });
  };
  app.get('/health', readiness);
  app.get('/health/ready', readiness);

  app.ws<SocketData>('/*', {
    // uWS drops the connection past this; below it we close politely with 1009 ourselves.
    maxPayloadLength: HARD_FRAME_LIMIT_BYTES,
    maxBackpressure: 1024 * 1024,
    closeOnBackpressureLimit: 1,
    idleTimeout: 60,
    sendPingsAutomatically: true,

    upgrade: (res, req, context) => {
      const path = req.getUrl();
      const query = req.getQuery() ?? '';
      const cookie = req.getHeader('cookie');
      const key = req.getHeader('sec-websocket-key');
      const protocol = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      let aborted = false;
      res.onAborted(() => (aborted = true));

      const refuse = (status: string, code: string, message: string): void => {
        if (aborted) return;
        res.cork(() => {
          res.writeStatus(status).writeHeader('content-type', 'application/json');
          res.end(JSON.stringify({ error: { code, message } }));
        });
      };

      const target = route(path);
      if (!target) return refuse('404 Not Found', 'not_found', `no socket endpoint at ${path}`);
      // nginx takes a 503 as its cue to try the next relay.
      if (!ready())
        return refuse('503 Service Unavailable', 'unavailable', draining ? 'this relay is restarting' : 'no Redis');
      const token = tokenFrom(query, cookie);
      let user: string | null = null;
      if (token) {
        const verified = verifyToken(config.secret, token);
        if (!verified.ok) return refuse('401 Unauthorized', 'bad_token', `the token is ${verified.reason}`);
        user = verified.session.userId;
      } else if (target.tokenRequired) {
        return refuse('401 Unauthorized', 'no_token', `/${target.endpoint} needs a token`);
      }
      if (target.endpoint === 'user' && target.id?.toLowerCase() !== user)
        return refuse('403 Forbidden', 'forbidden', 'this is not your user channel');

      const sid = randomBytes(9).toString('base64url');
      const joined: RoomName[] = [target.room];
      if (user && target.room !== Room.user(user)) joined.push(Room.user(user));
      /** Once lila-core may count the socket in its game, it must hear the socket leave. */
      let counted = false;
      const leaveAll = () => {
        joined.forEach((room) => rooms.leave(room));
        if (counted) core.leave(sid, user, target.room);
      };

      void (async () => {
        await Promise.all(joined.map((room) => rooms.enter(room)));
        let game: SocketData['game'];
        if (joinsThroughCore(target.endpoint)) {
          const answer = await core.join(sid, user, target.room, target.endpoint);
          // An answer too late (504) may still have counted it: the leave, numbered after the join, undoes that.
          counted = answer.status === 200 || answer.status === 504;
          if (answer.status !== 200) {
            leaveAll();
            if (answer.status === 404) return refuse('404 Not Found', 'not_found', 'no such game');
            if (answer.status === 403) return refuse('403 Forbidden', 'forbidden', 'you do not play this game');
            // Not 503: nginx would count that against this relay, which is fine, and try the next one.
            return refuse('504 Gateway Timeout', 'unavailable', 'the game server did not answer');
          }
          const role = answer.color ?? 'spectators';
          if (answer.v !== undefined) rooms.sequence(target.room)?.reached(answer.v);
          game = { role, state: answer.frame ?? Buffer.alloc(0), stateV: answer.v, asked: versionFrom(query) };
        }
        if (aborted || draining) {
          leaveAll();
          return refuse('503 Service Unavailable', 'unavailable', 'this relay is restarting');
        }
        const topics = [...joined, Room.site].map((room) =>
          game && isGameRoom(room) && room === target.room ? roleTopic(room, game.role) : room,
        );
        // Not inside res.cork: once its callback returns, uWS 20.30 goes on treating the socket as an HTTP
        // response, and when the upgrade reallocated it in place, it reads WebSocket memory as response
        // flags and may close the new socket (1006) right after its open. uWS warns once about the write.
        res.upgrade<SocketData>(
          { sid, user, path, route: target, rooms: joined, topics, game, closed: false },
          key,
          protocol,
          extensions,
          context,
        );
      })().catch((err: Error) => {
        log.error({ err: err.message, sid }, 'upgrade failed');
        leaveAll();
        refuse('503 Service Unavailable', 'unavailable', 'the relay could not open this socket');
      });
    },

    open: (ws) => {
      const data = ws.getUserData();
      sockets.set(data.sid, ws);
      metrics.sockets.inc(socketLabels(data));
      if (data.user) users.opened(data.user);
      tap?.({ dir: 'open', sid: data.sid, path: data.path, user: data.user, relay: config.relayId });
      for (const topic of data.topics) ws.subscribe(topic);
      if (!data.game) return;
      const { role, state, stateV, asked } = data.game;
      data.game = undefined;
      // Synchronous with the subscription: no event can come in between the catch-up and the topic.
      const frames = catchUp({ role, state, stateV, asked, history: rooms.history(data.route.room) });
      if (!frames) return ws.end(CloseCode.restart, 'too many events while joining; reconnect');
      const latest = isGameRoom(data.route.room) ? rooms.latest(data.route.room) : undefined;
      ws.cork(() => [...frames, ...(latest ? [latest] : [])].forEach((frame) => send(ws, frame)));
    },

    message: (ws, message, isBinary) => {
      if (isBinary) {
        metrics.refused.inc({ reason: 'binary' });
        return ws.end(CloseCode.binary, 'binary frames are not accepted');
      }
      const data = ws.getUserData();
      if (message.byteLength > MAX_FRAME_BYTES) {
        metrics.refused.inc({ reason: 'too_big' });
        tap?.({ dir: 'in', sid: data.sid, raw: Buffer.from(message).toString('utf8') });
        return ws.end(CloseCode.tooBig, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
      }
      const text = Buffer.from(message).toString('utf8');
      tap?.({ dir: 'in', sid: data.sid, raw: text });
      const frame = readFrame(text, data.route.endpoint);
      if (frame.kind === 'ping') {
        metrics.framesIn.inc({ type: 'ping' });
        return send(ws, PONG);
      }
      if (frame.kind === 'refused') {
        metrics.refused.inc({ reason: frame.code });
        return send(ws, errorFrame(frame.code, frame.message));
      }
      const { action } = frame;
      metrics.framesIn.inc({ type: action.t });
      core.action(data.sid, data.user, data.route.room, action).then(
        (delivered) => {
          if (delivered || data.closed) return;
          if (action.t === 'move' && action.d.a !== undefined) core.answered(data.sid, action.d.a);
          send(ws, errorFrame('unavailable', 'the game server is restarting; try again in a moment'));
        },
        () => !data.closed && send(ws, errorFrame('unavailable', 'the server could not take this action')),
      );
    },

    close: (ws, code) => {
      const data = ws.getUserData();
      data.closed = true;
      tap?.({ dir: 'close', sid: data.sid, code });
      sockets.delete(data.sid);
      metrics.sockets.dec(socketLabels(data));
      core.forget(data.sid);
      for (const room of data.rooms) rooms.leave(room);
      if (joinsThroughCore(data.route.endpoint)) core.leave(data.sid, data.user, data.route.room);
      if (data.user) users.closed(data.user);
    },
  });

  // Sockets are refused until Redis is there: wait for it a little, so that a relay started with
  // its Redis opens ready; past that it listens anyway and becomes ready when Redis comes.
  const redisReady = (redis: typeof publisher) =>
    redis.status === 'ready' ? Promise.resolve() : new Promise((resolve) => redis.once('ready', resolve));
  if (!(await within(5_000, Promise.all([redisReady(publisher), redisReady(subscriber)]))))
    log.warn('Redis is not reachable; listening anyway, not ready until it is');
  const listenSocket = await new Promise<unknown>((resolve, reject) =>
    app.listen('127.0.0.1', config.port, (s) =>
      s ? resolve(s) : reject(new Error(`cannot listen on port ${config.port}`)),
    ),
  );
  const ticker = setInterval(() => core.tick(), 1000);
  // Through Redis and back on our own channel: the lag every room event also goes through.
  const prober = setInterval(
    () => void publisher.publish(ownChannel, encodeCoreOut({ t: 'probe', at: Date.now() })).catch(() => undefined),
    PROBE_EVERY_MS,
  );
  const leavers = setInterval(() => users.flush(), ONLINE_BATCH_MS);
  log.info({ port: config.port }, 'relay listening');

  /**
   * A deploy: no new sockets (nginx moves on to the other relays), every socket told, then closed
   * with 1012 a slice at a time over `drainSpreadMs`, so that they come back to the other relays
   * gradually rather than all in the same instant. Moves still held for lila-core go out before the
   * Redis connections close, at the deadline at the latest.
   */
  async function drain(): Promise<void> {
    draining = true;
    const deadline = Date.now() + config.drainDeadlineMs;
    uws.us_listen_socket_close(listenSocket as never);
    const order = [...sockets.values()];
    log.info({ sockets: order.length, spreadMs: config.drainSpreadMs }, 'draining');
    publish(Room.site, SERVER_RESTART);
    await closeGradually(
      order,
      (ws) => ws.getUserData().closed || ws.end(CloseCode.restart, 'relay restarting; reconnect'),
      config.drainSpreadMs,
      deadline,
    );
    for (const ws of sockets.values()) ws.close();
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
      repair.close();
      await Promise.all([within(2_000, publisher.quit()), within(2_000, subscriber.quit())]);
      await tap?.close();
      log.info('relay stopped');
    },
  };
}
