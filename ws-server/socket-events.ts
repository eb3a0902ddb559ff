import type { WebSocketBehavior } from 'uWebSockets.js';
import { isGameRoom } from '../protocol/channels.js';
import { CloseCode, HARD_FRAME_LIMIT_BYTES, MAX_FRAME_BYTES } from '../protocol/client-in.js';
import { encodeFrame, errorFrame, type ErrorCode } from '../protocol/client-out.js';
import type { Logger } from '../src/log.js';
import { countBy } from '../src/metrics.js';
import type { Tap } from '../src/tap.js';
import { catchUp } from './catch-up.js';
import type { CoreLink } from './core-link.js';
import type { FanOut } from './fan-out.js';
import { readFrame } from './frames.js';
import type { RelayMetrics } from './metrics.js';
import type { OnlineHere } from './online-here.js';
import { admit, kindOf, type Kind, type Limits, type Verdict } from './rate-limit.js';
import type { Rooms } from './rooms.js';
import { joinsThroughCore, type Socket, type SocketData } from './socket-data.js';

/** The answer to a ping, encoded once. */
const PONG = encodeFrame(0);

/**
 * What a relay holds for one socket that does not read, at most; past it the socket is closed.
 * Every frame here is small (a move is ~200 B), so 256 KiB is over a thousand events behind: that
 * socket is gone in all but name. Bounded low because it is per socket: 20,000 stalled sockets
 * hold 5 GB at this bound, 20 GB at uWS's usual 1 MiB.
 */
export const MAX_BACKPRESSURE_BYTES = 256 * 1024;

/** A stamped move refused because too many await lila-core's answer: this socket's, or the relay's. */
const unansweredRefusal: Record<'socket' | 'relay', [ErrorCode, string]> = {
  socket: ['rate_limited', 'too many moves awaiting an answer; wait for their acks'],
  relay: ['unavailable', 'the game server is slow to answer; try again in a moment'],
};

const socketLabels = (data: SocketData) => ({ endpoint: data.route.endpoint, auth: data.user ? 'user' : 'anonymous' });

/**
 * A socket's life once upgraded (upgrade.ts): it opens (subscribed to its topics, caught up with
 * what it missed since its `?v=`), sends frames (pings answered here, actions passed to lila-core),
 * and closes (its rooms left, lila-core told).
 */
export function socketEvents(o: {
  relayId: string;
  /** Open sockets by id, kept here. */
  sockets: Map<string, Socket>;
  rooms: Rooms;
  core: CoreLink;
  users: OnlineHere;
  send: FanOut['send'];
  metrics: RelayMetrics;
  /** The sizes of every socket's rate limits (rate-limit.ts, scaled by RATE_LIMIT_FACTOR). */
  limits: Limits;
  log: Logger;
  tap?: Tap;
}): Omit<WebSocketBehavior<SocketData>, 'upgrade'> {
  const { sockets, rooms, core, users, send, metrics, tap } = o;
  const frameIn = countBy(metrics.framesIn, 'type');
  /** Bound once: a flood's dropped frames are counted without building labels each time. */
  const limitedOf = { move: counted('move'), chat: counted('chat'), other: counted('other') };
  function counted(kind: Kind) {
    metrics.rateLimited.inc({ kind }, 0);
    return metrics.rateLimited.labels({ kind });
  }

  /** A frame past the socket's limits: dropped, said once in a while, or the end of a flooding socket. */
  function limited(ws: Socket, kind: Kind, verdict: Exclude<Verdict, 'pass'>): void {
    limitedOf[kind].inc();
    if (verdict === 'drop-and-tell')
      return send(ws, errorFrame('rate_limited', `too many frames (${kind}): dropped; slow down`));
    if (verdict !== 'close') return;
    metrics.floodClosed.inc();
    o.log.info({ sid: ws.getUserData().sid, user: ws.getUserData().user, kind }, 'closing a flooding socket');
    ws.end(CloseCode.policy, 'rate limit exceeded');
  }

  return {
    // uWS drops the connection past this; below it we close politely with 1009 ourselves.
    maxPayloadLength: HARD_FRAME_LIMIT_BYTES,
    maxBackpressure: MAX_BACKPRESSURE_BYTES,
    closeOnBackpressureLimit: 1,
    idleTimeout: 60,
    sendPingsAutomatically: true,

    open: (ws) => {
      const data = ws.getUserData();
      sockets.set(data.sid, ws);
      metrics.sockets.inc(socketLabels(data));
      if (data.user) {
        users.opened(data.user);
        // What lila-core published for this user while it had no socket here: challenges, a redirect.
        core.pending([data.user], { sid: data.sid, room: data.route.room });
      }
      tap?.({ dir: 'open', sid: data.sid, path: data.path, user: data.user, relay: o.relayId });
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
      // Frames still buffered behind our close (a flood's) are not read.
      if (data.closed) return;
      if (message.byteLength > MAX_FRAME_BYTES) {
        metrics.refused.inc({ reason: 'too_big' });
        tap?.({ dir: 'in', sid: data.sid, raw: Buffer.from(message).toString('utf8') });
        return ws.end(CloseCode.tooBig, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
      }
      const text = Buffer.from(message).toString('utf8');
      tap?.({ dir: 'in', sid: data.sid, raw: text });
      const frame = readFrame(text, data.route.endpoint);
      if (frame.kind === 'ping') {
        frameIn('ping');
        return send(ws, PONG);
      }
      // When the relay received it: the limits' time, and the stamp lila-core charges think time to.
      const at = Date.now();
      const kind = kindOf(frame.kind === 'action' ? frame.action.t : undefined);
      const verdict = admit(data.limits, kind, at, o.limits);
      if (verdict !== 'pass') return limited(ws, kind, verdict);
      if (frame.kind === 'refused') {
        metrics.refused.inc({ reason: frame.code });
        return send(ws, errorFrame(frame.code, frame.message));
      }
      const { action } = frame;
      frameIn(action.t);
      const full = action.t === 'move' && action.d.a !== undefined && core.unansweredFull(data.sid, action.d.a);
      if (full) {
        metrics.refused.inc({ reason: `unanswered_${full}` });
        return send(ws, errorFrame(...unansweredRefusal[full]));
      }
      core.action(data.sid, data.user, data.route.room, action, at).then(
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
  };
}

/** Closes the open sockets of `room` (1012), for them to reconnect with `?v=`: its events were lost. */
export function rejoin(sockets: ReadonlyMap<string, Socket>, room: string): void {
  for (const ws of sockets.values())
    if (ws.getUserData().route.room === room && !ws.getUserData().closed)
      ws.end(CloseCode.restart, 'missed events; reconnect with ?v=');
}
