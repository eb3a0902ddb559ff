import type { Audience } from '../protocol/core-out.js';
import type { Logger } from '../src/log.js';
import type { Rooms } from './rooms.js';

/** How long a gap may wait for lila-core's replay before the room's sockets reconnect instead. */
const REPLAY_TIMEOUT_MS = 5_000;

type RoomEvent = { v?: number; to?: Audience; reset?: true };

/**
 * Keeps every socket's versions whole when Redis loses messages for this relay (it drops a slow
 * subscriber; an outage cuts everyone off). A versioned event past a gap waits while lila-core
 * replays the missing ones from those it keeps; after a reconnect the relay asks about every room,
 * since a loss at the tail shows no gap. A room lila-core cannot replay is given up: its sockets
 * reconnect with `?v=`, and get a new state.
 */
export function createRepair(o: {
  rooms: Rooms;
  /** Delivers one event, in order, to the room's sockets. */
  deliver: (room: string, event: RoomEvent, frame: Buffer) => void;
  /** Tells lila-core the latest version held of each room: it replays what is missing, then says `versions`. */
  ask: (rooms: Record<string, number>) => void;
  /** Closes the room's sockets (1012), for them to reconnect. */
  rejoin: (room: string) => void;
  log: Logger;
  counted?: (outcome: 'asked' | 'given_up') => void;
}) {
  const timers = new Map<string, NodeJS.Timeout>();

  const giveUp = (room: string, latest: number | undefined, why: string) => {
    clearTimeout(timers.get(room));
    timers.delete(room);
    const sequence = o.rooms.sequence(room);
    if (!sequence) return;
    o.log.warn({ room, had: sequence.last, latest, why }, 'events lost for this room; its sockets reconnect');
    sequence.restart(Math.max(latest ?? 0, ...sequence.parkedVersions));
    o.counted?.('given_up');
    o.rejoin(room);
  };

  return {
    /** A room event from Redis, live or replayed. */
    event(room: string, event: RoomEvent, frame: Buffer): void {
      const sequence = event.v === undefined ? undefined : o.rooms.sequence(room);
      if (!sequence || event.v === undefined) return o.deliver(room, event, frame);
      if (event.reset) sequence.restart(event.v - 1);
      sequence.accept(room, event as RoomEvent & { v: number }, frame, o.deliver);
      if (!sequence.waiting) {
        if (!timers.size) return;
        clearTimeout(timers.get(room));
        timers.delete(room);
      } else if (!timers.has(room)) {
        o.log.warn({ room, had: sequence.last, got: event.v }, 'gap in room versions; asking lila-core to replay');
        o.ask({ [room]: sequence.last! });
        o.counted?.('asked');
        timers.set(
          room,
          setTimeout(() => giveUp(room, undefined, 'no replay came'), REPLAY_TIMEOUT_MS),
        );
      }
    },

    /** lila-core's latest versions, after its replays: a room still behind cannot be repaired. */
    versions(latest: Record<string, number>): void {
      for (const [room, v] of Object.entries(latest)) {
        const last = o.rooms.sequence(room)?.last;
        if (last !== undefined && v > last) giveUp(room, v, 'lila-core no longer keeps the events');
      }
    },

    /** After Redis came back (or lila-core did): ask about every versioned room held. */
    checkAll(): void {
      o.ask(o.rooms.versions());
    },

    close(): void {
      timers.forEach(clearTimeout);
    },
  };
}
export type Repair = ReturnType<typeof createRepair>;
