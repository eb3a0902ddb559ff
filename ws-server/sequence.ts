import type { Audience, KeptEvent } from '../protocol/core-out.js';

/**
 * Puts one room's versioned events in order before any socket sees them. An event past a gap (Redis
 * dropped this relay's subscription, and the events in between with it) is parked until lila-core
 * replays the missing ones; a version already delivered (a replay racing the live event) is dropped.
 */
export function createSequence() {
  let last: number | undefined;
  const parked = new Map<number, KeptEvent<Buffer>>();

  return {
    /**
     * Delivers this event and any parked behind it, in order; parks it past a gap. On the usual
     * path (the next version, nothing parked) nothing is allocated: it goes straight to `deliver`,
     * with `room` passed through (no closure per message).
     */
    accept(
      room: string,
      event: { v: number; to?: Audience },
      frame: Buffer,
      deliver: (room: string, event: { v: number; to?: Audience }, frame: Buffer) => void,
    ): void {
      if (last !== undefined && event.v <= last) return;
      if (last !== undefined && event.v > last + 1) {
        // Kept past the Redis callback: copied, as a view would hold the whole read chunk.
        parked.set(event.v, { v: event.v, to: event.to, frame: Buffer.from(frame) });
        return;
      }
      last = event.v;
      deliver(room, event, frame);
      for (let next = parked.get(last + 1); next; next = parked.get(last + 1)) {
        parked.delete(next.v);
        last = next.v;
        deliver(room, next, next.frame);
      }
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
