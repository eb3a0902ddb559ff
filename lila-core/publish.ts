import type { Redis } from 'ioredis';
import { RELAYS, relayChannel, type RoomName } from '../protocol/channels.js';
import { encodeFrame, type ClientOut, type TournamentFrame, type VersionedFrame } from '../protocol/client-out.js';
import type { Audience, Revoked } from '../protocol/core-out.js';
import type { Color } from '../protocol/game.js';
import { encodeCoreOut } from '../protocol/wire.js';
import { writeTogether } from '../src/redis.js';
import type { Tap } from '../src/tap.js';
import { createRecent } from './recent.js';

/** Everything lila-core says to relays. Each frame is serialized once, whatever the audience. */
export function createPublisher(redis: Redis, tap?: Tap) {
  // The one place lila-core publishes, so that the tap sees every message exactly as sent.
  const together = writeTogether(redis);
  const publish = (channel: string, message: string): Promise<unknown> => {
    tap?.({ dir: 'pub', channel, raw: message });
    together();
    return redis.publish(channel, message);
  };
  const recent = createRecent();
  return {
    /** To every socket in `room`, on every relay. */
    room(room: RoomName, frame: Exclude<ClientOut, 0>): Promise<unknown> {
      const v = 'v' in frame ? frame.v : undefined;
      return publish(room, encodeCoreOut(v === undefined ? { t: 'room' } : { t: 'room', v }, encodeFrame(frame)));
    },
    /** A versioned game event, in full to its audience and as `{"v":N}` to the rest of the room. */
    event(
      room: RoomName,
      event: { to?: Audience; frame: VersionedFrame | TournamentFrame; reset?: true },
    ): Promise<unknown> {
      const { v } = event.frame;
      const frame = encodeFrame(event.frame);
      recent.add(room, event.to ? { v, to: event.to, frame } : { v, frame });
      const header = {
        t: 'room' as const,
        v,
        ...(event.to && { to: event.to }),
        ...(event.reset && { reset: true as const }),
      };
      return publish(room, encodeCoreOut(header, frame));
    },
    /**
     * Versions `from` to `to` of a room resumed after its reservation (game/reservation.ts), kept
     * as `{"v":N}` for relays that ask: one may have seen some of them published, before a
     * restart, and none is for a socket to see now. Nothing is published; versions already kept
     * (published by this process) stay as they are.
     */
    fill(room: RoomName, from: number, to: number): void {
      for (let v = Math.max(from, (recent.latest(room) ?? 0) + 1); v <= to; v++)
        recent.add(room, { v, frame: encodeFrame({ v }) });
    },
    /**
     * A relay has version `had` of `room`, and lila-core is at `latest`: the events in between, to
     * that relay alone, if they are all still kept. Returns whether they were.
     */
    replay(relay: string, room: string, had: number, latest: number): boolean {
      const missed = recent.since(room, had)?.filter((e) => e.v <= latest);
      if (!missed || (missed.at(-1)?.v ?? had) !== latest) return false;
      // A replay lost to Redis leaves the relay behind on the room once it hears the versions, and
      // its sockets on that room then reconnect for the whole state: the loss is made good there.
      for (const { v, to, frame } of missed)
        void publish(
          relayChannel(relay),
          encodeCoreOut(to ? { t: 'replay', room, v, to } : { t: 'replay', room, v }, frame),
        ).catch(() => undefined);
      return true;
    },
    /** An unversioned frame of `room` again, to one relay's sockets in it (they may have missed it). */
    again(relay: string, room: RoomName, frame: Exclude<ClientOut, 0>): Promise<unknown> {
      return publish(relayChannel(relay), encodeCoreOut({ t: 'again', room }, encodeFrame(frame)));
    },
    /** To one socket; with `a`, the answer to its move stamped `a`. */
    socket(relay: string, sid: string, frame: string, a?: number): Promise<unknown> {
      return publish(
        relayChannel(relay),
        encodeCoreOut(a === undefined ? { t: 'sid', sid } : { t: 'sid', sid, a }, frame),
      );
    },
    join(
      relay: string,
      sid: string,
      status: 200 | 403 | 404,
      frame = '',
      seat: { color?: Color; v?: number } = {},
    ): Promise<unknown> {
      return publish(relayChannel(relay), encodeCoreOut({ t: 'join', sid, status, ...seat }, frame));
    },
    /** Asks a relay for its complete list of online users. */
    sync(relay: string): Promise<unknown> {
      return publish(relayChannel(relay), encodeCoreOut({ t: 'sync' }));
    },
    /** The latest version of each room a relay asked about. */
    versions(relay: string, d: Record<string, number>): Promise<unknown> {
      return publish(relayChannel(relay), encodeCoreOut({ t: 'versions', d }));
    },
    /** To every relay: lila-core is going down, or is back. */
    coreState(t: 'coreDown' | 'coreUp'): Promise<unknown> {
      return publish(RELAYS, encodeCoreOut({ t }));
    },
    /** Revoked sessions: to every relay, or the whole list to one that asked (users/revocations.ts). */
    revoked(message: Revoked, relay?: string): Promise<unknown> {
      return publish(relay === undefined ? RELAYS : relayChannel(relay), encodeCoreOut(message));
    },
    resend(relay: string, boot: string, from: number): Promise<unknown> {
      return publish(relayChannel(relay), encodeCoreOut({ t: 'resend', boot, from }));
    },
  };
}
export type Publisher = ReturnType<typeof createPublisher>;
