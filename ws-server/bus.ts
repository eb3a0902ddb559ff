import type { Redis } from 'ioredis';
import { RELAYS, Room } from '../protocol/channels.js';
import type { Revoked } from '../protocol/core-out.js';
import { decodeCoreOut, encodeCoreOut } from '../protocol/wire.js';
import type { Logger } from '../src/log.js';
import type { CoreLink } from './core-link.js';
import type { FanOut } from './fan-out.js';
import type { RelayMetrics } from './metrics.js';
import type { OnlineHere } from './online-here.js';
import type { Repair } from './repair.js';
import { createRecovery } from './recovery.js';
import type { Rooms } from './rooms.js';
import type { Socket } from './socket-data.js';

const PROBE_EVERY_MS = 2_000;

/**
 * What the relay hears on Redis: room events (put in order by repair.ts before any socket sees
 * them), and on its own channel and `relays`, lila-core's word to this relay (answers to one
 * socket, join answers, resend and sync requests, its going down and coming back).
 */
export function listenToBus(o: {
  subscriber: Redis;
  /** This relay's channel, `relay:<id>`. */
  ownChannel: string;
  rooms: Rooms;
  repair: Repair;
  core: CoreLink;
  sockets: ReadonlyMap<string, Socket>;
  send: FanOut['send'];
  users: OnlineHere;
  metrics: RelayMetrics;
  /** Revoked sessions heard (revocations.ts). */
  revoked?: (message: Revoked) => void;
  log: Logger;
}): void {
  const { subscriber, rooms, repair, core, log } = o;
  const recovery = createRecovery({ core, sockets: o.sockets, users: o.users, send: o.send, log });

  // Not awaited: a relay starts without Redis, reports itself not ready, and subscribes once it can.
  void subscriber.subscribe(o.ownChannel, RELAYS);
  // Back after Redis dropped us: ioredis subscribes every room again; then ask what was missed, and
  // say again what lila-core may have missed of us.
  let subscriberWasDown = false;
  subscriber.on('close', () => (subscriberWasDown = true));
  subscriber.on('ready', () => {
    if (!subscriberWasDown) return;
    subscriberWasDown = false;
    setImmediate(() => {
      repair.checkAll();
      recovery.resubscribed();
    });
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
      case 'again':
        return repair.event(header.room, {}, frame);
      case 'sid': {
        // An answer to a move the relay sent again (lila-core was slow) repeats one already given.
        if (header.a !== undefined && !core.answered(header.sid, header.a)) return;
        const ws = o.sockets.get(header.sid);
        if (!ws) return void core.holdFrame(header.sid, Buffer.from(frame));
        return void (!ws.getUserData().closed && o.send(ws, frame));
      }
      case 'join': {
        const { status, color, v } = header;
        return core.answerJoin(header.sid, { status, frame: Buffer.from(frame), color, v });
      }
      case 'resend': {
        const loss = core.resend(header.boot, header.from);
        return loss && recovery.lost(loss);
      }
      case 'sync':
        return recovery.reportAll();
      case 'probe':
        return o.metrics.redisLag.observe((Date.now() - header.at) / 1000);
      case 'coreDown':
        log.warn('lila-core is going down; holding moves');
        return core.pause();
      case 'coreUp':
        core.resume();
        return repair.checkAll();
      case 'versions':
        return repair.versions(header.d);
      case 'revoked':
        return o.revoked?.(header);
    }
  });
}

/**
 * Through Redis and back on our own channel: the lag every room event also goes through, heard
 * back as a `probe` above. Returns the timer, to stop it.
 */
export const probeRedis = (publisher: Redis, ownChannel: string): NodeJS.Timeout =>
  setInterval(
    // A probe lost leaves one sample out of the histogram, nothing more.
    () => void publisher.publish(ownChannel, encodeCoreOut({ t: 'probe', at: Date.now() })).catch(() => undefined),
    PROBE_EVERY_MS,
  );
