import type { KeptEvent } from '../protocol/core-out.js';

/**
 * The latest versioned events across all rooms, each as published (its frame as text), `capacity`
 * at most, oldest dropped first: memory stays bounded whatever the number of games, and a relay
 * cut off from Redis for a few seconds gets back what it missed without closing a socket.
 */
export function createRecent(capacity = 20_000) {
  const byRoom = new Map<string, KeptEvent<string>[]>();
  /** Events in the order they were added, to drop the oldest first. */
  const order: { room: string; v: number }[] = [];
  let head = 0;

  return {
    add(room: string, event: KeptEvent<string>): void {
      let events = byRoom.get(room);
      // Versions start again only for a room lila-core began afresh (the lobby after a restart).
      if (events?.length && event.v !== events.at(-1)!.v + 1) events.length = 0;
      if (!events) byRoom.set(room, (events = []));
      events.push(event);
      order.push({ room, v: event.v });
      if (order.length - head > capacity) {
        const oldest = order[head++];
        const kept = byRoom.get(oldest.room);
        // Unless that run of the room was dropped already.
        if (kept?.[0]?.v === oldest.v) kept.shift();
        if (kept && !kept.length) byRoom.delete(oldest.room);
        // Compacted now and then, so that the queue does not grow without end.
        if (head > capacity) {
          order.splice(0, head);
          head = 0;
        }
      }
    },

    /** The latest version kept of `room`. */
    latest: (room: string): number | undefined => byRoom.get(room)?.at(-1)?.v,

    /** The events after version `v` up to the latest, or undefined when some are no longer kept. */
    since(room: string, v: number): readonly KeptEvent<string>[] | undefined {
      const events = byRoom.get(room);
      const first = events?.[0];
      if (!events || !first || first.v > v + 1) return undefined;
      return events.slice(Math.max(0, v + 1 - first.v));
    },
  };
}
export type Recent = ReturnType<typeof createRecent>;
