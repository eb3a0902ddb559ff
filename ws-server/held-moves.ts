import type { Logger } from '../src/log.js';
import type { Numbered } from './outbox.js';

/** Moves waiting for lila-core to listen again, at most. Past that the oldest are refused. */
const MAX_HELD = 1000;
/** While holding, how often delivery is tried again. */
export const PROBE_MS = 250;

/**
 * Moves held in order while lila-core is away (restarting, or Redis is down), delivered once it is
 * back, as lila-ws does with its "critical" messages. A held move settles its promise when it is
 * delivered (true) or refused (false).
 *
 * A move already numbered (published once, heard by nobody) keeps its number, and such moves come
 * first: lila-core must get them in the order of their numbers. Unnumbered ones are numbered when
 * they are finally sent.
 */
export function createHeldMoves<M>(o: {
  /** Numbers a message: its number and the text to publish. */
  number: (message: M) => Numbered;
  /** Publishes it: whether lila-core heard it. */
  heard: (payload: Numbered) => Promise<boolean>;
  /** Whether lila-core subscribes to `site-in` again. */
  listening: () => Promise<boolean>;
  log: Logger;
}) {
  const held: { message: M; payload?: Numbered; settle: (delivered: boolean) => void }[] = [];
  let probe: NodeJS.Timeout | undefined;
  let flushing = false;
  /** lila-core said it is going down: hold from now on, without trying, until it is back. */
  let away = false;

  const startProbing = () => {
    if (probe) return;
    o.log.warn({ held: held.length }, 'lila-core is not listening; holding moves');
    probe = setInterval(() => void flush(), PROBE_MS);
  };

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (held[0]) {
        const head = held[0];
        head.payload ??= o.number(head.message);
        // A failed publish is a "not yet": the move stays at the head, tried again at the next probe.
        if (!(await o.heard(head.payload).catch(() => false))) return;
        // Declared lost meanwhile (renumber): it goes again, with a new number.
        if (head.payload === undefined) continue;
        held.splice(held.indexOf(head), 1);
        head.settle(true);
      }
      // Nothing held to try with: whether lila-core subscribes to `site-in` again says it is back.
      if (away && !(await o.listening())) return;
      clearInterval(probe);
      probe = undefined;
      away = false;
      o.log.info('lila-core is listening again; held moves delivered');
    } finally {
      flushing = false;
    }
  }

  return {
    /** Whether a new message must wait its turn behind the held ones (or lila-core is away). */
    get holding(): boolean {
      return held.length > 0 || away;
    },

    /** Holds a move, with its text when it was numbered already; resolves to whether lila-core got it. */
    hold(message: M, payload?: Numbered): Promise<boolean> {
      return new Promise((settle) => {
        const firstUnnumbered = held.findIndex((h) => h.payload === undefined);
        const at = payload === undefined || firstUnnumbered < 0 ? held.length : firstUnnumbered;
        held.splice(at, 0, { message, payload, settle });
        if (held.length > MAX_HELD)
          held
            .splice(
              held.findIndex((h) => h.payload === undefined),
              1,
            )[0]
            ?.settle(false);
        startProbing();
      });
    },

    /**
     * Numbers declared lost (site-in.ts `lost`): a held move numbered among them would be taken for
     * one lila-core already had, so it is numbered again when it goes (after the numbered ones).
     */
    renumber(lost: (seq: number) => boolean): void {
      const again = held.filter((h) => h.payload !== undefined && lost(h.payload.seq));
      if (!again.length) return;
      const rest = held.filter((h) => !again.includes(h));
      const firstUnnumbered = rest.findIndex((h) => h.payload === undefined);
      for (const h of again) h.payload = undefined;
      rest.splice(firstUnnumbered < 0 ? rest.length : firstUnnumbered, 0, ...again);
      held.splice(0, held.length, ...rest);
    },

    /** lila-core announced its shutdown: hold from now on, until it is back. */
    pause(): void {
      away = true;
      startProbing();
    },

    /** lila-core announced its start: deliver what is held now, rather than at the next probe. */
    resume(): void {
      away = false;
      void flush();
    },

    /** Resolves once nothing is held any more, or at `deadline` (ms since the epoch). */
    async drained(deadline: number): Promise<void> {
      while (held.length && Date.now() < deadline) {
        await flush();
        if (held.length) await new Promise((r) => setTimeout(r, PROBE_MS));
      }
      if (held.length) o.log.error({ held: held.length }, 'stopping with moves lila-core never took');
    },

    get size(): number {
      return held.length;
    },

    /** Stops probing; what is still held is refused. */
    close(): void {
      clearInterval(probe);
      for (const h of held.splice(0)) h.settle(false);
    },
  };
}
