import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponse, us_socket_context_t } from 'uWebSockets.js';
import { isGameRoom, Room, type RoomName } from '../protocol/channels.js';
import { encodeApiError } from '../protocol/http.js';
import type { Logger } from '../src/log.js';
import { roleTopic } from './audience.js';
import { authenticate, crossSite, type Refusal, type RevokedSessions } from './auth.js';
import type { CoreLink, JoinAnswer } from './core-link.js';
import type { RelayMetrics } from './metrics.js';
import type { AllowedOrigins } from './origins.js';
import { newLimits } from './rate-limit.js';
import type { Repair } from './repair.js';
import type { Rooms } from './rooms.js';
import { route, versionFrom } from './routes.js';
import type { FanOut } from './fan-out.js';
import { joinsThroughCore, type Socket, type SocketData } from './socket-data.js';

/** What a socket lila-core did not admit is told, by the status of lila-core's answer. */
const notAdmitted: Record<Exclude<JoinAnswer['status'], 200>, Refusal> = {
  404: { status: '404 Not Found', code: 'not_found', message: 'no such game' },
  403: { status: '403 Forbidden', code: 'forbidden', message: 'you do not play this game' },
  // Not 503: nginx would count that against this relay, which is fine, and try the next one.
  504: { status: '504 Gateway Timeout', code: 'unavailable', message: 'the game server did not answer' },
};

/**
 * The upgrade of every socket: its route, the relay's readiness, its token, then its rooms
 * subscribed (and for /play, /watch and /lobby, lila-core's admission and first state) before the
 * socket opens, so that it misses nothing published from then on. A refusal is an HTTP error with
 * an API error body; nginx takes a 503 as its cue to try the next relay.
 */
export function createUpgrade(o: {
  secret: string;
  /** Sessions lila-core revoked: refused here (revocations.ts). */
  revoked?: RevokedSessions;
  /** Pages whose sockets may be signed in by the session cookie (ALLOWED_ORIGINS). */
  allowedOrigins: AllowedOrigins;
  ready: () => boolean;
  draining: () => boolean;
  rooms: Rooms;
  /** Holds an admitted socket until the room has reached its state's version (repair.ts). */
  caughtUp: Repair['caughtUp'];
  core: CoreLink;
  /** Open sockets, and how to send to one: for frames that came for a socket before it opened. */
  sockets: ReadonlyMap<string, Socket>;
  send: FanOut['send'];
  metrics: RelayMetrics;
  log: Logger;
}) {
  const { rooms, core } = o;

  return (res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void => {
    const path = req.getUrl();
    const query = req.getQuery() ?? '';
    const cookie = req.getHeader('cookie');
    const origin = req.getHeader('origin');
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    let aborted = false;
    res.onAborted(() => (aborted = true));

    const refuse = ({ status, code, message }: Refusal): void => {
      o.metrics.upgradesRefused.inc({ code });
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(status).writeHeader('content-type', 'application/json');
        res.end(encodeApiError(code, message));
      });
    };
    const unavailable = (message: string): void =>
      refuse({ status: '503 Service Unavailable', code: 'unavailable', message });

    const target = route(path);
    if (!target)
      return refuse({ status: '404 Not Found', code: 'not_found', message: `no socket endpoint at ${path}` });
    if (!o.ready()) return unavailable(o.draining() ? 'this relay is restarting' : 'no Redis');
    const foreign = crossSite(query, cookie, origin, o.allowedOrigins);
    if (foreign) return refuse(foreign);
    const who = authenticate(target, query, cookie, o.secret, o.revoked);
    if (!who.ok) return refuse(who);
    const { user } = who;

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
      let held: Buffer[] = [];
      if (joinsThroughCore(target.endpoint)) {
        const answer = await core.join(sid, user, target.room, target.endpoint);
        // An answer too late (504) may still have counted it: the leave, numbered after the join, undoes that.
        counted = answer.status === 200 || answer.status === 504;
        if (answer.status !== 200) {
          core.releaseFrames(sid);
          leaveAll();
          return refuse(notAdmitted[answer.status]);
        }
        const role = answer.color ?? 'spectators';
        // Its state holds every version up to answer.v: none of them may come again through the topic.
        const reached = answer.v === undefined || (await o.caughtUp(target.room, answer.v));
        held = core.releaseFrames(sid);
        if (!reached) {
          leaveAll();
          return unavailable('events of this game were lost here; try again');
        }
        game = { role, state: answer.frame ?? Buffer.alloc(0), stateV: answer.v, asked: versionFrom(query) };
      }
      if (aborted || o.draining()) {
        leaveAll();
        return unavailable('this relay is restarting');
      }
      const topics = [...joined, Room.site].map((room) =>
        game && isGameRoom(room) && room === target.room ? roleTopic(room, game.role) : room,
      );
      // Not inside res.cork: once its callback returns, uWS 20.30 goes on treating the socket as an HTTP
      // response, and when the upgrade reallocated it in place, it reads WebSocket memory as response
      // flags and may close the new socket (1006) right after its open. uWS warns once about the write.
      res.upgrade<SocketData>(
        {
          sid,
          user,
          path,
          route: target,
          rooms: joined,
          topics,
          game,
          limits: newLimits(Date.now()),
          session: who.session,
          closed: false,
        },
        key,
        protocol,
        extensions,
        context,
      );
      // uWS opened the socket within upgrade() (its catch-up sent): then what came for it meanwhile.
      const ws = held.length ? o.sockets.get(sid) : undefined;
      if (ws && !ws.getUserData().closed) held.forEach((frame) => o.send(ws, frame));
    })().catch((err: Error) => {
      o.log.error({ err: err.message, sid }, 'upgrade failed');
      leaveAll();
      unavailable('the relay could not open this socket');
    });
  };
}
