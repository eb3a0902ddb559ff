/**
 * Time as lila-core reads it, and its timers. The system clock in production; a manual clock for
 * fixtures and tests, which moves only when told, so that clocks and timers replay exactly.
 */
export type Clock = {
  now(): number;
  /** Runs `fire` at time `at` (at once if it is past); the returned function cancels it. */
  at(at: number, fire: () => unknown): () => void;
};

/** Runs a timer's work; a failure is reported, never left to crash the process as an unhandled rejection. */
const run = (fire: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(fire)
    .catch((err: Error) => process.emitWarning(`timer failed: ${err.message}`));

export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, fire) {
    // Not unref'd: Node drops a cancelled timer's list of timers of the same duration at once only
    // for a ref'd timer; an unref'd one's stays until its duration has passed, and game clocks give
    // nearly every timer a duration of its own. lila-core stops by process.exit, never by running dry.
    const timer = setTimeout(() => void run(fire), Math.max(0, at - Date.now()));
    return () => clearTimeout(timer);
  },
};

export type ManualClock = Clock & {
  /** Moves time forward, running each timer due on the way at its own time, awaiting each. */
  advance(ms: number): Promise<number>;
};

export function manualClock(start: number): ManualClock {
  let time = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fire: () => unknown }>();
  const due = (until: number) => {
    let first: [number, { at: number; fire: () => unknown }] | undefined;
    for (const entry of timers) if (entry[1].at <= until && (!first || entry[1].at < first[1].at)) first = entry;
    return first;
  };
  return {
    now: () => time,
    at(at, fire) {
      const id = nextId++;
      timers.set(id, { at, fire });
      // A timer already due fires soon, as a zero-delay system timer would; not inside the caller.
      if (at <= time) queueMicrotask(() => void (timers.delete(id) && run(fire)));
      return () => timers.delete(id);
    },
    async advance(ms) {
      const until = time + ms;
      for (let next = due(until); next; next = due(until)) {
        timers.delete(next[0]);
        time = Math.max(time, next[1].at);
        await run(next[1].fire);
      }
      time = until;
      return time;
    },
  };
}
