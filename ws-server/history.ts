import type { KeptEvent } from '../protocol/core-out.js';

/** As lila-ws: enough for a reconnect after a short network loss, small enough for every game. */
export const HISTORY_SIZE = 20;

/**
 * The last versioned events of one game room, always contiguous, so that a socket opening or
 * reconnecting gets what it missed from the relay itself rather than from a new state.
 */
export function createHistory(capacity = HISTORY_SIZE) {
  let events: KeptEvent<Buffer>[] = [];

  return {
    add(event: KeptEvent<Buffer>): void {
      const last = events.at(-1);
      // Out of sequence (Redis dropped this subscriber, or a version came twice): what is kept no
      // longer leads to this event, and a history with a hole would serve it as complete.
      if (last && event.v !== last.v + 1) events = [];
      events.push(event);
      if (events.length > capacity) events.shift();
    },

    /**
     * The kept events after version `v`, or undefined when some of them are no longer kept. Nothing
     * kept after `v` (an empty buffer, or `v` at or past the last) is an empty list: whether `v`
     * is ahead of the room is for the caller to judge, who may know a later state.
     */
    since(v: number): readonly KeptEvent<Buffer>[] | undefined {
      const first = events[0];
      const last = events.at(-1);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: v >= last.v is a shortcut, the slice below is [] then too
      if (!first || !last || v >= last.v) return [];
      if (v < first.v - 1) return undefined;
      return events.slice(v + 1 - first.v);
    },

    /** The version of the latest kept event. */
    get last(): number | undefined {
      return events.at(-1)?.v;
    },
  };
}
export type History = ReturnType<typeof createHistory>;
