/**
 * The standings fetched again after `reload`: after a random 0–2 s (the protocol's rule, so that
 * thousands of pages do not ask in the same instant), once however many `reload`s came meanwhile.
 */
export const RELOAD_SPREAD_MS = 2_000;

export type Timers = {
  setTimeout: (f: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

export function createReloader(o: { fetch: () => void; random: () => number; timers: Timers }) {
  let pending: unknown;
  let stopped = false;
  return {
    /** A `reload` came: fetch within 2 s, unless a fetch is already due. */
    request(): void {
      if (stopped || pending !== undefined) return;
      pending = o.timers.setTimeout(
        () => {
          pending = undefined;
          o.fetch();
        },
        Math.floor(o.random() * RELOAD_SPREAD_MS),
      );
    },
    /** The page closes: nothing more is fetched. */
    stop(): void {
      stopped = true;
      if (pending !== undefined) o.timers.clearTimeout(pending);
      pending = undefined;
    },
  };
}
