import type { Redis } from 'ioredis';
import type { RoomName } from '../protocol/channels.js';

/**
 * Reference-counted Redis subscriptions: a room's channel is subscribed when its first socket
 * arrives and unsubscribed when its last one leaves. `enter` resolves once Redis confirmed the
 * subscription, so nothing published afterwards can be missed.
 */
export function createRooms(subscriber: Redis) {
  const rooms = new Map<RoomName, { sockets: number; subscribed: Promise<unknown> }>();

  return {
    enter(room: RoomName): Promise<unknown> {
      let entry = rooms.get(room);
      if (!entry) {
        entry = { sockets: 0, subscribed: subscriber.subscribe(room) };
        rooms.set(room, entry);
      }
      entry.sockets++;
      return entry.subscribed;
    },
    leave(room: RoomName): void {
      const entry = rooms.get(room);
      if (!entry || --entry.sockets > 0) return;
      rooms.delete(room);
      void subscriber.unsubscribe(room).catch(() => undefined);
    },
    get size(): number {
      return rooms.size;
    },
  };
}
export type Rooms = ReturnType<typeof createRooms>;
