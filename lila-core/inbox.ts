/**
 * Checks the numbering of each relay's messages on `site-in`. Redis drops a subscriber that
 * falls behind, and the messages in between vanish without an error; a gap in the numbers shows
 * it, and lila-core asks that relay to publish again from the first missing number (go-back-N:
 * later messages are ignored until the gap is filled, so actions keep their order).
 */
export function createInbox(askResend: (relay: string, boot: string, from: number) => void, now: () => number) {
  const relays = new Map<string, { boot: string; last: number; askedAt: number }>();
  const RETRY_MS = 1000;

  const track = (relay: string, boot: string, firstSeen: number) => {
    let r = relays.get(relay);
    // A relay first seen by this process starts where it is; a restarted relay starts at 1.
    if (!r) relays.set(relay, (r = { boot, last: firstSeen, askedAt: 0 }));
    else if (r.boot !== boot) Object.assign(r, { boot, last: 0, askedAt: 0 });
    return r;
  };

  const gap = (relay: string, r: { boot: string; last: number; askedAt: number }) => {
    if (now() - r.askedAt < RETRY_MS) return;
    r.askedAt = now();
    askResend(relay, r.boot, r.last + 1);
  };

  return {
    /** Whether to handle this message now: the next in line, not a duplicate, not past a gap. */
    accept(relay: string, boot: string, seq: number): boolean {
      const r = track(relay, boot, seq - 1);
      if (seq <= r.last) return false;
      if (seq > r.last + 1) {
        gap(relay, r);
        return false;
      }
      r.last = seq;
      r.askedAt = 0;
      return true;
    },
    /** A heartbeat carrying the relay's latest number: a loss at the tail shows here. */
    tick(relay: string, boot: string, last: number): void {
      const r = track(relay, boot, last);
      if (last > r.last) gap(relay, r);
    },
    /** How many relays have spoken to this process. */
    get relays(): number {
      return relays.size;
    },
  };
}
