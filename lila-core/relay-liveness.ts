/**
 * Which relays are alive: the one place lila-core decides it. Every message a relay puts on
 * `site-in` carries its id and its boot (random per process start), and every relay ticks each
 * second, so any message shows that boot alive.
 *
 * A boot ends when its relay has been silent for RELAY_SILENCE_MS (presumed dead: a relay killed
 * says nothing) or when the same relay is heard with a new boot (it restarted). Whatever lila-core
 * held for that boot goes with it: its sockets in game crowds and in the lobby, the users it
 * reported online (`onEnded`).
 *
 * A restart is told apart from a relay first heard since lila-core started: a restarted relay
 * numbers its messages from 1 again (`onRestarted`), while one first heard is taken from where it
 * is. So a relay is remembered after its boot ended, in case it comes back.
 */
export const RELAY_SILENCE_MS = 10_000;

type Listener = (relay: string, boot: string) => void;
type RelayState = { boot: string; seen: number; alive: boolean };

/** `wallNow`: relays tick in real time, whatever lila-core's own clock (manual in fixtures). */
export function createRelayLiveness(wallNow: () => number = Date.now) {
  const relays = new Map<string, RelayState>();
  const ended: Listener[] = [];
  const restarted: Listener[] = [];

  const end = (relay: string, state: RelayState) => {
    state.alive = false;
    for (const listener of ended) listener(relay, state.boot);
  };

  return {
    /** Any message from `relay`: this boot is alive; a new boot ends the one before. */
    heard(relay: string, boot: string): void {
      const state = relays.get(relay);
      if (!state) return void relays.set(relay, { boot, seen: wallNow(), alive: true });
      const restart = state.boot !== boot;
      if (restart && state.alive) end(relay, state);
      state.boot = boot;
      state.seen = wallNow();
      state.alive = true;
      if (restart) for (const listener of restarted) listener(relay, boot);
    },

    /** Ends the boots of relays silent for too long; called every few seconds. */
    sweep(): void {
      const now = wallNow();
      for (const [relay, state] of relays) if (state.alive && now - state.seen >= RELAY_SILENCE_MS) end(relay, state);
    },

    /** `listener` hears of every boot that ends, silent or replaced, before its successor's message. */
    onEnded(listener: Listener): void {
      ended.push(listener);
    },

    /** `listener` hears of every new boot of a relay heard before, before that boot's message. */
    onRestarted(listener: Listener): void {
      restarted.push(listener);
    },
  };
}
export type RelayLiveness = ReturnType<typeof createRelayLiveness>;
