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
  /** Sockets admitted at a version the room has not reached here: they open once it has (`caughtUp`). */
  const waiters = new Map<string, { v: number; done: (reached: boolean) => void }[]>();

  /** Opens the waiters the room has reached; after a restart (`given`), the rest are refused. */
  const wake = (room: string, last: number | undefined, given = false) => {
    const waiting = waiters.get(room);
    if (!waiting) return;
    const still = waiting.filter((w) => {
      const reached = last !== undefined && w.v <= last;
      if (reached || given) w.done(reached);
      return !reached && !given;
    });
    if (still.length) waiters.set(room, still);
    else waiters.delete(room);
  };

  const askReplay = (room: string, had: number) => {
    o.ask({ [room]: had });
    o.counted?.('asked');
    timers.set(
      room,
      setTimeout(() => giveUp(room, undefined, 'no replay came'), REPLAY_TIMEOUT_MS),
    );
  };

  const giveUp = (room: string, latest: number | undefined, why: string) => {
    clearTimeout(timers.get(room));
    timers.delete(room);
    const sequence = o.rooms.sequence(room);
    if (!sequence) return wake(room, undefined, true);
    o.log.warn({ room, had: sequence.last, latest, why }, 'events lost for this room; its sockets reconnect');
    sequence.restart(Math.max(latest ?? 0, ...sequence.parkedVersions));
    o.counted?.('given_up');
    o.rejoin(room);
    wake(room, sequence.last, true);
  };

  return {
    /** A room event from Redis, live or replayed. */
    event(room: string, event: RoomEvent, frame: Buffer): void {
      const sequence = event.v === undefined ? undefined : o.rooms.sequence(room);
      if (!sequence || event.v === undefined) return o.deliver(room, event, frame);
      if (event.reset) sequence.restart(event.v - 1);
      sequence.accept(room, event as RoomEvent & { v: number }, frame, o.deliver);
      if (waiters.size) wake(room, sequence.last);
      if (!sequence.waiting && !waiters.has(room)) {
        if (!timers.size) return;
        clearTimeout(timers.get(room));
        timers.delete(room);
      } else if (!timers.has(room)) {
        o.log.warn({ room, had: sequence.last, got: event.v }, 'gap in room versions; asking lila-core to replay');
        askReplay(room, sequence.last!);
      }
    },

    /**
     * lila-core admitted a socket at version `v` of `room` (its join answer's state). If this relay
     * has not delivered `v` yet (a gap under repair, or a loss at the tail), the room's topic will
     * still carry versions the socket's state holds: it waits until the room reached `v` (true), or
     * until the room is given up (false: it is refused, and comes back).
     */
    caughtUp(room: string, v: number): Promise<boolean> {
      const sequence = o.rooms.sequence(room);
      if (!sequence) return Promise.resolve(true);
      sequence.reached(v);
      const last = sequence.last!;
      if (v <= last) return Promise.resolve(true);
      if (!timers.has(room)) {
        o.log.warn({ room, had: last, admitted: v }, 'a socket admitted ahead of the room; asking lila-core to replay');
        askReplay(room, last);
      }
      return new Promise((done) => waiters.set(room, [...(waiters.get(room) ?? []), { v, done }]));
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
      for (const room of [...waiters.keys()]) wake(room, undefined, true);
    },
  };
}
export type Repair = ReturnType<typeof createRepair>;
