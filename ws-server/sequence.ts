import type { Audience } from '../protocol/core-out.js';

/** A versioned room event on its way to the room's sockets. */
export type Sequenced = { v: number; to?: Audience; frame: Buffer };

/**
 * Puts one room's versioned events in order before any socket sees them. An event past a gap (Redis
 * dropped this relay's subscription, and the events in between with it) is parked until lila-core
 * replays the missing ones; a version already delivered (a replay racing the live event) is dropped.
 */
export function createSequence() {
  let last: number | undefined;
  const parked = new Map<number, Sequenced>();

  return {
    /** The events now deliverable, in order: none while a gap lies before this one. */
    accept(event: Sequenced): Sequenced[] {
      if (last !== undefined && event.v <= last) return [];
      if (last !== undefined && event.v > last + 1) {
        // Kept past the Redis callback: copied, as a view would hold the whole read chunk.
        parked.set(event.v, { ...event, frame: Buffer.from(event.frame) });
        return [];
      }
      const ready = [event];
      last = event.v;
      for (let next = parked.get(last + 1); next; next = parked.get(last + 1)) {
        parked.delete(next.v);
        ready.push(next);
        last = next.v;
      }
      return ready;
    },

    /**
     * A join answer's state is at version `v`. Where to start, for a room that has had no event
     * since it was subscribed; otherwise the events themselves say where the room is.
     */
    reached(v: number): void {
      last ??= v;
    },

    /** Versions parked behind the gap. */
    get parkedVersions(): number[] {
      return [...parked.keys()];
    },

    /** Whether events are parked behind a gap. */
    get waiting(): boolean {
      return parked.size > 0;
    },

    /** The latest version delivered. */
    get last(): number | undefined {
      return last;
    },

    /** Given up on the gap (its sockets reconnect): start again from lila-core's version `v`. */
    restart(v: number): void {
      parked.clear();
      last = v;
    },
  };
}
export type Sequence = ReturnType<typeof createSequence>;
