import type { Redis } from 'ioredis';
import type { RoomName } from '../protocol/channels.js';
import { isVersionedRoom } from './audience.js';
import { createHistory, type History } from './history.js';
import { createSequence, type Sequence } from './sequence.js';

/**
 * Reference-counted Redis subscriptions: a room's channel is subscribed when its first socket
 * arrives and unsubscribed when its last one leaves. `enter` resolves once Redis confirmed the
 * subscription, so nothing published afterwards can be missed. A game room (and the lobby) keeps its recent
 * events (history.ts) for as long as it is subscribed: they are only complete while it is.
 */
export function createRooms(subscriber: Redis) {
  /**
   * `latest`: a game room's last unversioned frame (the crowd), for sockets that open after it.
   * `sequence`: a versioned room's events put in order, gaps repaired before sockets see them.
   */
  const rooms = new Map<
    string,
    { sockets: number; subscribed: Promise<unknown>; history?: History; sequence?: Sequence; latest?: Buffer }
  >();

  return {
    enter(room: RoomName): Promise<unknown> {
      let entry = rooms.get(room);
      if (!entry) {
        const subscribed = subscriber.subscribe(room);
        // Refused only on a connection closed for good (the relay stopping). A socket's upgrade awaits
        // this and hears of it; the relay's own `site`, entered without waiting, must not crash it.
        subscribed.catch(() => undefined);
        entry = {
          sockets: 0,
          subscribed,
          ...(isVersionedRoom(room) ? { history: createHistory(), sequence: createSequence() } : {}),
        };
        rooms.set(room, entry);
      }
      entry.sockets++;
      return entry.subscribed;
    },
    leave(room: RoomName): void {
      const entry = rooms.get(room);
      if (!entry || --entry.sockets > 0) return;
      rooms.delete(room);
      // Commands wait through a reconnect: this fails only on a connection closed for good (the relay
      // stopping), whose subscriptions are gone with it.
      void subscriber.unsubscribe(room).catch(() => undefined);
    },
    /** Keeps a room's latest unversioned frame (copied: the view would pin the read chunk). */
    keepLatest(room: string, frame: Buffer): void {
      const entry = rooms.get(room);
      if (entry) entry.latest = Buffer.from(frame);
    },
    latest(room: string): Buffer | undefined {
      return rooms.get(room)?.latest;
    },
    sequence(room: string): Sequence | undefined {
      return rooms.get(room)?.sequence;
    },
    /** The latest version delivered of each versioned room held, for lila-core to replay what is missing. */
    versions(): Record<string, number> {
      const found: Record<string, number> = {};
      for (const [room, entry] of rooms) if (entry.sequence?.last !== undefined) found[room] = entry.sequence.last;
      return found;
    },
    /** The recent events of a game room this relay is subscribed to. */
    history(room: string): History | undefined {
      return rooms.get(room)?.history;
    },
    get size(): number {
      return rooms.size;
    },
  };
}
export type Rooms = ReturnType<typeof createRooms>;
